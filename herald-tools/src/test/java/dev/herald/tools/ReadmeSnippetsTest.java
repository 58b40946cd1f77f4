package dev.herald.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README's Java true: every {@code ```java} block is compiled against the test class path
 * (all of Herald's modules), and blocks marked {@code run} are also run.
 *
 * <p>How a block is read, from the hint after {@code ```java} on its opening fence:
 *
 * <ul>
 *   <li>no hint: statements (local classes and records included), compiled as the body of a method
 *       {@code void snippet() throws Exception};
 *   <li>{@code members}: declarations compiled as the members of a class;
 *   <li>{@code run}: statements as above, then the method is called and must return normally;
 *   <li>{@code no-compile}: not compiled (say nearby why).
 * </ul>
 *
 * <p>A fragment that uses names the reader has already (a connection, a buffer) declares them on a
 * line {@code <!-- given: Type name; void method(); -->} just before its fence: an HTML comment,
 * which Markdown does not show, holding fields and abstract methods of the wrapping class. Every
 * Herald API package, {@code java.util}, {@code java.nio.file.Path}, {@code
 * java.lang.foreign.MemorySegment} and {@code UTF_8} are imported.
 */
@Timeout(120)
class ReadmeSnippetsTest {
  private static final Pattern FENCE = Pattern.compile("```java(?:\\s+(\\S+))?\\s*");
  private static final Pattern GIVEN = Pattern.compile("<!--\\s*given:(.*)-->\\s*");

  private static final String IMPORTS =
      """
      import static java.nio.charset.StandardCharsets.UTF_8;

      import dev.herald.communicator.*;
      import dev.herald.dispatcher.*;
      import dev.herald.engine.*;
      import dev.herald.examples.engine.*;
      import dev.herald.nats.*;
      import dev.herald.os.*;
      import dev.herald.os.internal.*;
      import dev.herald.reactor.*;
      import dev.herald.ring.*;
      import dev.herald.ring.exec.*;
      import java.lang.foreign.MemorySegment;
      import java.nio.file.Path;
      import java.util.*;
      """;

  /** How a block is compiled. */
  private enum Kind {
    STATEMENTS,
    MEMBERS,
    RUN,
    NO_COMPILE
  }

  /** One {@code ```java} block: where it starts in the README, its hint, givens and text. */
  private record Snippet(int line, Kind kind, String given, String code) {
    String className() {
      return "ReadmeSnippetAtLine" + line;
    }

    /** The wrapping class up to the block's first line. */
    private String prefix() {
      String modifier = given.contains("abstract ") ? "abstract " : "";
      String head = IMPORTS + "public " + modifier + "class " + className() + " {\n" + given + "\n";
      return kind == Kind.MEMBERS ? head : head + "public void snippet() throws Exception {\n";
    }

    /** The compilation unit. */
    String source() {
      return prefix() + code + (kind == Kind.MEMBERS ? "}\n" : "}\n}\n");
    }

    /** The README line of a line of {@link #source()} (1-based), for error messages. */
    long readmeLine(long sourceLine) {
      return line + sourceLine - 1 - prefix().lines().count();
    }
  }

  private static Path readme() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md"))
          && Files.isDirectory(dir.resolve("herald-tools"))) {
        return dir.resolve("README.md");
      }
    }
    throw new AssertionError("no README.md above " + Path.of("").toAbsolutePath());
  }

  static List<Snippet> snippets(List<String> lines) {
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      String hint = fence.group(1) == null ? "statements" : fence.group(1);
      Kind kind = Kind.valueOf(hint.toUpperCase(Locale.ROOT).replace('-', '_'));
      Matcher given = i > 0 ? GIVEN.matcher(lines.get(i - 1)) : GIVEN.matcher("");
      StringBuilder code = new StringBuilder();
      int start = i + 1;
      for (i = start; !lines.get(i).startsWith("```"); i++) {
        code.append(lines.get(i)).append('\n');
      }
      snippets.add(
          new Snippet(
              start + 1, kind, given.matches() ? given.group(1).strip() : "", code.toString()));
    }
    return snippets;
  }

  private static JavaFileObject source(Snippet snippet) {
    return new SimpleJavaFileObject(
        URI.create("string:///" + snippet.className() + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return snippet.source();
      }
    };
  }

  @Test
  void everyJavaBlockOfTheReadmeCompilesAndTheRunnableOnesRun(@TempDir Path classes)
      throws Exception {
    List<Snippet> snippets =
        snippets(Files.readAllLines(readme())).stream()
            .filter(s -> s.kind() != Kind.NO_COMPILE)
            .toList();
    assertTrue(snippets.size() >= 5, "the README's Java blocks were found: " + snippets.size());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean compiled =
        javac
            .getTask(
                null,
                null,
                diagnostics,
                List.of(
                    "-proc:none",
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    classes.toString()),
                null,
                snippets.stream().map(ReadmeSnippetsTest::source).toList())
            .call();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        Snippet s =
            snippets.stream()
                .filter(x -> d.getSource().toUri().getPath().contains(x.className()))
                .findFirst()
                .orElseThrow();
        errors.add(
            "README.md:" + s.readmeLine(d.getLineNumber()) + ": " + d.getMessage(Locale.ROOT));
      }
    }
    assertEquals(List.of(), errors, "README Java blocks that do not compile");
    assertTrue(compiled);
    try (URLClassLoader loader =
        new URLClassLoader(
            new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      for (Snippet s : snippets) {
        if (s.kind() == Kind.RUN) {
          Class<?> snippet = loader.loadClass(s.className());
          snippet.getMethod("snippet").invoke(snippet.getConstructor().newInstance());
        }
      }
    }
  }

  @Test
  void hintsAndGivensAreReadAsDocumented() throws IOException {
    List<Snippet> s =
        snippets(
            List.of(
                "text",
                "<!-- given: int fd; -->",
                "```java",
                "int x = fd;",
                "```",
                "```java members",
                "static int y;",
                "```",
                "```java no-compile",
                "broken(",
                "```"));
    assertEquals(
        List.of(
            new Snippet(4, Kind.STATEMENTS, "int fd;", "int x = fd;\n"),
            new Snippet(7, Kind.MEMBERS, "", "static int y;\n"),
            new Snippet(10, Kind.NO_COMPILE, "", "broken(\n")),
        s);
    assertEquals(
        4,
        s.getFirst().readmeLine(s.getFirst().source().lines().toList().indexOf("int x = fd;") + 1));
  }
}
