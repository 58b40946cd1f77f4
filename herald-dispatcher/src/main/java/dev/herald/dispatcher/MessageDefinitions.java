package dev.herald.dispatcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the definition of a command: the first {@code COMMAND.conf} on a search path, then (if
 * enabled) the definitions shipped with Herald for the default commands. Each file is an INI file
 * with one section per parameter ({@code -} in a section name becomes {@code _}) and the keys
 * {@code type} and {@code flags}. A command without a file has an empty definition. Results are
 * cached; safe to share between threads.
 *
 * <pre>{@code
 * MessageDefinitions definitions =
 *     MessageDefinitions.parse("/usr/share/eventdispatcher/messages:/etc/myservice/messages", true);
 * Dispatcher dispatcher = new Dispatcher(definitions);
 * }</pre>
 */
public final class MessageDefinitions {
  private static final String BUILT_IN = "messages/";
  // Commands without a definition are cached up to this many entries (see find()).
  static final int MAX_CACHED = 4096;

  private final List<Path> searchPath;
  private final boolean builtIns;
  private final ConcurrentHashMap<String, MessageDefinition> cache = new ConcurrentHashMap<>();

  /**
   * Creates definitions from a search path.
   *
   * @param searchPath directories, searched in order
   * @param builtIns whether to fall back to Herald's definitions of the default commands
   */
  public MessageDefinitions(List<Path> searchPath, boolean builtIns) {
    this.searchPath = List.copyOf(searchPath);
    this.builtIns = builtIns;
  }

  /**
   * Creates definitions from a {@code :}-separated path list (upstream's {@code
   * --path-to-message-definitions}).
   *
   * @param pathList directories separated by {@code :}; empty entries are skipped
   * @param builtIns whether to fall back to Herald's definitions of the default commands
   * @return the definitions
   */
  public static MessageDefinitions parse(String pathList, boolean builtIns) {
    List<Path> paths = new ArrayList<>();
    for (String entry : pathList.split(":")) {
      if (!entry.isEmpty()) {
        paths.add(Path.of(entry));
      }
    }
    return new MessageDefinitions(paths, builtIns);
  }

  /**
   * Only Herald's definitions of the default commands (ALIVE, ABSOLUTELY, COMMANDS, READY, INVALID,
   * UNKNOWN, SERVICE_UNAVAILABLE, LOG, ...).
   *
   * @return the definitions
   */
  public static MessageDefinitions builtIn() {
    return new MessageDefinitions(List.of(), true);
  }

  /**
   * No definitions at all: every message passes.
   *
   * @return the definitions
   */
  public static MessageDefinitions none() {
    return new MessageDefinitions(List.of(), false);
  }

  /**
   * Returns the definition of a command. Commands that are not valid command names never name a
   * file (so {@code ../x} reads nothing) and get an empty definition.
   *
   * @param command the command
   * @return its definition, empty when there is no file
   * @throws MessageException of kind {@code INVALID_PARAMETER} when the file is malformed
   */
  public MessageDefinition find(String command) {
    MessageDefinition known = cache.get(command);
    if (known != null) {
      return known;
    }
    if (MessageNames.problem(command, false, false) != null) {
      return new MessageDefinition(command, List.of());
    }
    MessageDefinition loaded = load(command);
    if (loaded.parameters().isEmpty() && cache.size() >= MAX_CACHED) {
      // A peer sending ever new command names must not grow the cache without end; commands
      // with a definition are bounded by the files and are always kept.
      return loaded;
    }
    MessageDefinition raced = cache.putIfAbsent(command, loaded);
    return raced != null ? raced : loaded;
  }

  /** How many commands are cached (a diagnostic: the cache must stay bounded). */
  int cachedCommands() {
    return cache.size();
  }

  private MessageDefinition load(String command) {
    String fileName = command + ".conf";
    for (Path directory : searchPath) {
      Path file = directory.resolve(fileName);
      if (Files.isRegularFile(file)) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          return read(command, file.toString(), reader);
        } catch (IOException e) {
          throw new MessageException(
              MessageException.Kind.INVALID_PARAMETER,
              "cannot read message definition \"" + file + "\": " + e.getMessage(),
              e);
        }
      }
    }
    if (builtIns) {
      try (InputStream in = MessageDefinitions.class.getResourceAsStream(BUILT_IN + fileName)) {
        if (in != null) {
          return read(
              command,
              "built-in " + fileName,
              new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new MessageDefinition(command, List.of());
  }

  /**
   * Reads one definition file.
   *
   * @param command the command it defines
   * @param source the file name, for error messages
   * @param reader the content
   * @return the definition
   * @throws IOException when reading fails
   * @throws MessageException of kind {@code INVALID_PARAMETER} on an unknown type or flag
   */
  static MessageDefinition read(String command, String source, BufferedReader reader)
      throws IOException {
    List<ParameterDefinition> parameters = new ArrayList<>();
    String section = null;
    ParameterType type = ParameterType.STRING;
    EnumSet<ParameterFlag> flags = null;
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        if (section != null) {
          parameters.add(parameter(source, section, type, flags));
        }
        section = trimmed.substring(1, trimmed.length() - 1).strip().replace('-', '_');
        type = ParameterType.STRING;
        flags = null;
        continue;
      }
      int equal = trimmed.indexOf('=');
      if (equal < 0 || section == null) {
        continue; // keys outside a section and free text are not ours
      }
      String key = trimmed.substring(0, equal).strip();
      String value = unquote(trimmed.substring(equal + 1).strip());
      switch (key) {
        case "type" -> {
          type = ParameterType.named(value);
          if (type == null) {
            throw invalidDefinition(
                source,
                number,
                "unknown type \"" + value + "\"; use string, integer, address or timespec");
          }
        }
        case "flags" -> flags = flags(source, number, value);
        default -> {
          // description and other keys document the parameter
        }
      }
    }
    if (section != null) {
      parameters.add(parameter(source, section, type, flags));
    }
    return new MessageDefinition(command, parameters);
  }

  private static ParameterDefinition parameter(
      String source, String section, ParameterType type, EnumSet<ParameterFlag> flags) {
    String problem = MessageNames.problem(section, false, true);
    if (problem != null) {
      throw new MessageException(
          MessageException.Kind.INVALID_PARAMETER,
          "message definition " + source + ": section [" + section + "]: " + problem);
    }
    return new ParameterDefinition(
        section,
        type,
        flags == null ? EnumSet.of(ParameterFlag.REQUIRED, ParameterFlag.EMPTY) : flags);
  }

  private static EnumSet<ParameterFlag> flags(String source, int line, String value) {
    EnumSet<ParameterFlag> flags = EnumSet.noneOf(ParameterFlag.class);
    for (String flag : value.split(",")) {
      switch (flag.strip()) {
        case "required" -> flags.add(ParameterFlag.REQUIRED);
        case "empty" -> flags.add(ParameterFlag.EMPTY);
        case "forbidden" -> flags.add(ParameterFlag.FORBIDDEN);
        case "optional", "defined", "allowed", "" -> {
          // accepted by upstream, no effect
        }
        default ->
            throw invalidDefinition(
                source,
                line,
                "unknown flag \""
                    + flag.strip()
                    + "\"; use required, empty, forbidden or optional");
      }
    }
    return flags;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')
        && value.charAt(value.length() - 1) == value.charAt(0)) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static MessageException invalidDefinition(String source, int line, String what) {
    return new MessageException(
        MessageException.Kind.INVALID_PARAMETER,
        "message definition " + source + ", line " + line + ": " + what + ".");
  }
}
