package dev.herald.dispatcher;

import java.util.Set;

/**
 * One declared parameter of a command.
 *
 * <pre>{@code
 * new ParameterDefinition("serial", ParameterType.INTEGER, Set.of());       // optional, not empty
 * new ParameterDefinition("list", ParameterType.STRING,
 *     Set.of(ParameterFlag.REQUIRED, ParameterFlag.EMPTY));                   // the default flags
 * }</pre>
 *
 * @param name the parameter name
 * @param type its type
 * @param flags its flags
 */
public record ParameterDefinition(String name, ParameterType type, Set<ParameterFlag> flags) {
  /**
   * Validates and copies.
   *
   * @param name the parameter name
   * @param type its type
   * @param flags its flags
   */
  public ParameterDefinition {
    MessageNames.verify(name, false, true);
    if (type == null) {
      throw new IllegalArgumentException("type of parameter \"" + name + "\" is null");
    }
    flags = Set.copyOf(flags);
  }

  /**
   * Checks the parameter of a message against this definition.
   *
   * @param message the message
   * @return null when it passes, else the reason
   */
  public String check(Message message) {
    // The name was validated by the constructor: one lookup, no second validation.
    String value = message.valueOrNull(name);
    if (value == null) {
      return flags.contains(ParameterFlag.REQUIRED)
          ? "parameter \"" + name + "\" of command \"" + message.command() + "\" is required."
          : null;
    }
    if (flags.contains(ParameterFlag.FORBIDDEN)) {
      return "parameter \"" + name + "\" of command \"" + message.command() + "\" is forbidden.";
    }
    if (value.isEmpty()) {
      return flags.contains(ParameterFlag.EMPTY)
          ? null
          : "parameter \"" + name + "\" of command \"" + message.command() + "\" cannot be empty.";
    }
    if (!type.accepts(value)) {
      return "parameter \""
          + name
          + "\" of command \""
          + message.command()
          + "\" must be "
          + type.description()
          + ", not \""
          + value
          + "\".";
    }
    return null;
  }
}
