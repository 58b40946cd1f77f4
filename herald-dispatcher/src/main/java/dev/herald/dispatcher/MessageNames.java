package dev.herald.dispatcher;

/**
 * Upstream's {@code verify_message_name}: names are ASCII letters, digits and {@code _}, and do not
 * start with a digit; commands are upper case. Herald applies it, with upstream's texts, to
 * parameter names (as upstream's setters and parser do) and to the names in definition files;
 * commands, servers, services and sent-from names take what the string form carries instead (see
 * {@link Message}), because upstream's parser takes {@code my-host} or {@code A-B.c} there.
 *
 * <pre>{@code
 * MessageNames.verify("speed", false, true);   // fine
 * MessageNames.verify("STOP", false, false);   // fine: a command
 * MessageNames.verify("a-b", false, true);     // MessageException: must be composed of ASCII ...
 * }</pre>
 */
public final class MessageNames {
  private static final String EMPTY =
      "a message name (command, server, service, parameter, etc.) cannot be empty.";

  private MessageNames() {}

  /**
   * Checks a name as upstream does.
   *
   * @param name the name
   * @param canBeEmpty whether an empty name is accepted
   * @param canBeLowercase whether {@code a..z} are accepted (false for commands)
   * @throws MessageException with kind {@link MessageException.Kind#INVALID_MESSAGE} and upstream's
   *     text when the name is not valid
   */
  public static void verify(String name, boolean canBeEmpty, boolean canBeLowercase) {
    String error = problem(name, canBeEmpty, canBeLowercase);
    if (error != null) {
      throw MessageException.invalid(error);
    }
  }

  /**
   * Returns upstream's text for what is wrong with a name, or null when it is valid.
   *
   * @param name the name
   * @param canBeEmpty whether an empty name is accepted
   * @param canBeLowercase whether {@code a..z} are accepted
   * @return the error text, or null
   */
  public static String problem(String name, boolean canBeEmpty, boolean canBeLowercase) {
    if (name.isEmpty()) {
      return canBeEmpty ? null : EMPTY;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isNameChar(name.charAt(i), canBeLowercase)) {
        return composition(name, canBeLowercase);
      }
    }
    return isDigit(name.charAt(0)) ? digitStart(name) : null;
  }

  /**
   * Whether a parameter name (lower case allowed, not empty) is valid.
   *
   * @param name the name
   * @return true if valid
   */
  public static boolean isParameterName(String name) {
    return problem(name, false, true) == null;
  }

  static boolean isNameChar(int c, boolean canBeLowercase) {
    return (c >= 'a' && c <= 'z' && canBeLowercase)
        || (c >= 'A' && c <= 'Z')
        || isDigit(c)
        || c == '_';
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static String composition(String name, boolean canBeLowercase) {
    return "a message name (command, server, service, parameter, etc.) must be composed of ASCII "
        + (canBeLowercase ? "'a'..'z', " : "")
        + "'A'..'Z', '0'..'9', or '_' only (also a command must be uppercase only), \""
        + name
        + "\" is not valid.";
  }

  static String digitStart(String name) {
    return "a message name (command, server, service, parameter, etc.) cannot start with a digit, \""
        + name
        + "\" is not valid.";
  }
}
