package dev.herald.dispatcher;

import java.util.List;

/**
 * The declared parameters of one command (one {@code COMMAND.conf} file). Parameters not declared
 * are always accepted.
 *
 * <pre>{@code
 * MessageDefinition alive = definitions.find("ALIVE");
 * String problem = alive.check(message);   // null when the message passes
 * }</pre>
 *
 * @param command the command
 * @param parameters the declared parameters
 */
public record MessageDefinition(String command, List<ParameterDefinition> parameters) {
  /**
   * Copies the list.
   *
   * @param command the command
   * @param parameters the declared parameters
   */
  public MessageDefinition {
    parameters = List.copyOf(parameters);
  }

  /**
   * Checks a message: required parameters present, forbidden ones absent, empty values only where
   * allowed, values of the declared type.
   *
   * @param message the message
   * @return null when it passes, else the reason for the first failing parameter
   */
  public String check(Message message) {
    for (ParameterDefinition parameter : parameters) {
      String problem = parameter.check(message);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
