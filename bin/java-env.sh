# Sourced by Herald's scripts: selects a JDK 25 or newer, or explains what is missing.
# JAVA_HOME wins if it is 25+; otherwise the first /usr/lib/jvm/*25* that has a java.

herald_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

herald_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(herald_java_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  cat >&2 <<'MSG'
herald: no JDK 25 found.
  Herald needs Java 25 or newer. Set JAVA_HOME to a JDK 25+ install, or install one under
  /usr/lib/jvm (for example Eclipse Temurin 25, or 'apt-get install openjdk-25-jdk-headless'
  where your distribution has it).
MSG
  return 1
}

herald_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
