package dev.herald.dispatcher;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One eventdispatcher message: who sent it ({@code <server:service}), where it goes ({@code
 * server:service/}), a command and parameters sorted by name in byte order (a duplicate name
 * replaces the earlier value). The string form is {@code [<from-server:from-service ][[server:]
 * service/]COMMAND[ name=value;...]}; the JSON form is an object with the same fields.
 *
 * <p>Parameter names are checked as upstream checks them ({@code [A-Za-z0-9_]}, not starting with a
 * digit). The other names take what the string form can carry in their place, exactly what the
 * parsers accept there: {@code my-host}, {@code A-B.c} or {@code lower} are fine, while a blank, a
 * NUL, {@code :} (and {@code /} in a server, service or command) are not; so a parsed message can
 * always be rebuilt with the setters, and a built one always reads back the same. Upstream's
 * setters are stricter than its own parser; Herald's are not. A message is not thread-safe; it
 * caches its string and JSON forms until a setter changes it.
 *
 * <pre>{@code
 * Message stop = new Message().setService("cluckd").setCommand("STOP");
 * stop.addParameter("secret_code", "x");
 * stop.toMessage();                               // "cluckd/STOP secret_code=x"
 * Message back = Message.parse("<myhost:ed_signal snap:cluckd/STOP secret_code=x");
 * back.parameter("secret_code");                  // "x"
 * long speed = Message.parse("MSG speed=0x40").integerParameter("speed"); // 64
 * }</pre>
 */
public final class Message {
  /** The protocol version, sent in the {@value #VERSION_PARAMETER} parameter. */
  public static final int MESSAGE_VERSION = 1;

  /** The name of the version parameter. */
  public static final String VERSION_PARAMETER = "version";

  private String sentFromServer = "";
  private String sentFromService = "";
  private String server = "";
  private String service = "";
  private String command = "";
  // Parameters as (name, value) pairs in one array sorted by name: no entry object per parameter
  // and, for a parsed message, one exactly sized array.
  private String[] pairs = ParsedParameters.NONE;
  private int count;
  private boolean processed;
  private MessageSender origin;
  private String cachedString;
  private String cachedJson;

  /** Creates an empty message (no command yet). */
  public Message() {}

  Message(
      String sentFromServer,
      String sentFromService,
      String server,
      String service,
      String command,
      String[] sortedPairs) {
    // The parsers' fields as read (names are not validated at parse time, as upstream) and their
    // pairs, already sorted and deduplicated by ParsedParameters.
    this.sentFromServer = sentFromServer;
    this.sentFromService = sentFromService;
    this.server = server;
    this.service = service;
    this.command = command;
    this.pairs = sortedPairs;
    this.count = sortedPairs.length / 2;
  }

  /**
   * Parses a message in either form, as upstream's {@code from_message}: the text is trimmed, and a
   * text starting with <code>{</code> is read as JSON.
   *
   * @param text the message, without its line terminator (a trailing CR/LF is trimmed anyway)
   * @return the message
   * @throws MessageException with upstream's reason when the text is not a valid message
   */
  public static Message parse(String text) {
    return new MessageParser().parse(text);
  }

  /**
   * Returns the string form, as upstream's {@code to_message()}; the result is cached until a
   * setter changes the message.
   *
   * @return the message without a line terminator
   * @throws MessageException when the command is empty
   */
  public String toMessage() {
    String text = cachedString;
    if (text == null) {
      text = new MessageWriter().writeString(this).asString();
      cachedString = text;
    }
    return text;
  }

  /**
   * Returns the JSON form (always valid JSON; see the module README for how it differs from
   * upstream's); the result is cached until a setter changes the message.
   *
   * @return one line of JSON
   * @throws MessageException when the command is empty (upstream's text), as {@link #toMessage}
   */
  public String toJson() {
    String text = cachedJson;
    if (text == null) {
      text = new MessageWriter().writeJson(this).asString();
      cachedJson = text;
    }
    return text;
  }

  private void changed() {
    cachedString = null;
    cachedJson = null;
  }

  // ---------------------------------------------------------------- addressing and the command

  /**
   * Returns the server of the sender ({@code <server:...}).
   *
   * @return the name, may be empty
   */
  public String sentFromServer() {
    return sentFromServer;
  }

  /**
   * Sets the server of the sender: any name without a blank, a NUL or {@code :} ({@code
   * my-host.example} is fine).
   *
   * @param name a name (may be empty)
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message setSentFromServer(String name) {
    NameField.SENT_FROM_SERVER.verify(name);
    sentFromServer = name;
    changed();
    return this;
  }

  /**
   * Returns the service of the sender ({@code <...:service}).
   *
   * @return the name, may be empty
   */
  public String sentFromService() {
    return sentFromService;
  }

  /**
   * Sets the service of the sender: any name without a blank or a NUL ({@code :} and {@code /} are
   * fine here, as in the string form).
   *
   * @param name a name (may be empty)
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message setSentFromService(String name) {
    NameField.SENT_FROM_SERVICE.verify(name);
    sentFromService = name;
    changed();
    return this;
  }

  /**
   * Returns the destination server; only sent when a service is set.
   *
   * @return the name, may be empty
   */
  public String server() {
    return server;
  }

  /**
   * Sets the destination server: any name without a blank, a NUL, {@code :} or {@code /} that does
   * not start with {@code <} or <code>{</code>; {@code .} (local), {@code *} and {@code ?}
   * (broadcasts) included.
   *
   * @param name a name (may be empty)
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message setServer(String name) {
    NameField.SERVER.verify(name);
    server = name;
    changed();
    return this;
  }

  /**
   * Returns the destination service.
   *
   * @return the name, may be empty
   */
  public String service() {
    return service;
  }

  /**
   * Sets the destination service, with the rules of {@link #setServer}.
   *
   * @param name a name (may be empty)
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message setService(String name) {
    NameField.SERVICE.verify(name);
    service = name;
    changed();
    return this;
  }

  /**
   * Returns the command.
   *
   * @return the command, empty only on a new message or one read from JSON without a command
   */
  public String command() {
    return command;
  }

  /**
   * Sets the command: any name the string form carries as a command, that is not empty, without a
   * blank, a NUL, {@code :} or {@code /}, not starting with {@code <} or <code>{</code>. Upstream's
   * setter wants {@code [A-Z0-9_]} but its parser takes {@code hello} or {@code A-B.c}; Herald's
   * setter takes what the parser takes.
   *
   * @param name the command
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message setCommand(String name) {
    NameField.COMMAND.verify(name);
    command = name;
    changed();
    return this;
  }

  /**
   * Addresses this message to the sender of another: server and service become its sent-from server
   * and service, as upstream's {@code set_server} and {@code set_service} would set them; with
   * Herald's setters, {@code my-host} and {@code ed-signal} are fine, so replies reach them
   * (upstream throws). A sent-from name that is no valid server or service ({@code a:b/c} as a
   * service) is refused.
   *
   * @param received the message to answer
   * @return this message
   * @throws MessageException when a sent-from name cannot be a destination; the message is
   *     unchanged
   */
  public Message replyTo(Message received) {
    String toServer = received.sentFromServer;
    String toService = received.sentFromService;
    String problem = NameField.SERVER.problem(toServer);
    if (problem == null) {
      problem = NameField.SERVICE.problem(toService);
    }
    if (problem != null) {
      throw MessageException.invalid(
          "cannot reply to \"<"
              + toServer
              + ":"
              + toService
              + "\": "
              + problem
              + " Answer such peers through their connection without an address.");
    }
    server = toServer;
    service = toService;
    changed();
    return this;
  }

  // ---------------------------------------------------------------- parameters

  /**
   * Adds a parameter, replacing any value of the same name.
   *
   * @param name a parameter name (lower case allowed)
   * @param value the value (any text; escaped when serialised)
   * @return this message
   * @throws MessageException when the name is not valid
   */
  public Message addParameter(String name, String value) {
    MessageNames.verify(name, false, true);
    put(name, value);
    return this;
  }

  /**
   * Adds an integer parameter in decimal.
   *
   * @param name a parameter name
   * @param value the value
   * @return this message
   */
  public Message addParameter(String name, long value) {
    return addParameter(name, Long.toString(value));
  }

  /**
   * Adds an unsigned 64-bit integer parameter in decimal (upstream's {@code uint64_t} overload).
   *
   * @param name a parameter name
   * @param value the value, read as unsigned
   * @return this message
   */
  public Message addUnsignedParameter(String name, long value) {
    return addParameter(name, Long.toUnsignedString(value));
  }

  /**
   * Adds a timespec parameter as {@code SECONDS.NANOS} (trailing zeros removed).
   *
   * @param name a parameter name
   * @param value the value
   * @return this message
   */
  public Message addParameter(String name, Timespec value) {
    return addParameter(name, value.toString());
  }

  /**
   * Adds an address parameter as {@code a.b.c.d:port} or {@code [v6]:port}.
   *
   * @param name a parameter name
   * @param value a resolved address
   * @return this message
   */
  public Message addParameter(String name, InetSocketAddress value) {
    return addParameter(name, AddressText.format(value));
  }

  /**
   * Adds {@code version=1}.
   *
   * @return this message
   */
  public Message addVersionParameter() {
    return addParameter(VERSION_PARAMETER, MESSAGE_VERSION);
  }

  /**
   * Whether the message carries {@code version=1}.
   *
   * @return true when the version parameter is present and equals {@link #MESSAGE_VERSION}
   */
  public boolean checkVersionParameter() {
    return hasParameter(VERSION_PARAMETER)
        && IntegerText.isValid(parameter(VERSION_PARAMETER))
        && integerParameter(VERSION_PARAMETER) == MESSAGE_VERSION;
  }

  /**
   * Removes a parameter.
   *
   * @param name the parameter name
   * @return this message
   */
  public Message removeParameter(String name) {
    int at = find(name);
    if (at >= 0) {
      System.arraycopy(pairs, 2 * at + 2, pairs, 2 * at, 2 * (count - at - 1));
      count--;
      pairs[2 * count] = null;
      pairs[2 * count + 1] = null;
      changed();
    }
    return this;
  }

  /**
   * Whether a parameter is present.
   *
   * @param name a parameter name
   * @return true if present
   * @throws MessageException when the name is not valid
   */
  public boolean hasParameter(String name) {
    MessageNames.verify(name, false, true);
    return find(name) >= 0;
  }

  /**
   * Returns a parameter's value.
   *
   * @param name a parameter name
   * @return the value
   * @throws MessageException when the parameter is missing (upstream's text)
   */
  public String parameter(String name) {
    return required(name, "get_parameter");
  }

  /**
   * Returns an integer parameter (see {@link IntegerText} for the grammar).
   *
   * @param name a parameter name
   * @return the value
   * @throws MessageException when missing or not an integer (upstream's texts)
   */
  public long integerParameter(String name) {
    String value = required(name, "get_integer_parameter");
    try {
      return IntegerText.parse(value);
    } catch (NumberFormatException e) {
      throw notConverted("get_integer_parameter", "an integer", name, value);
    }
  }

  /**
   * Returns a timespec parameter.
   *
   * @param name a parameter name
   * @return the value
   * @throws MessageException when missing or not a timespec
   */
  public Timespec timespecParameter(String name) {
    String value = required(name, "get_timespec_parameter");
    try {
      return Timespec.parse(value);
    } catch (IllegalArgumentException e) {
      throw notConverted("get_timespec_parameter", "a timespec", name, value);
    }
  }

  /**
   * Returns an address parameter (a literal IP, optional port).
   *
   * @param name a parameter name
   * @return the address
   * @throws MessageException when missing or not an address
   */
  public InetSocketAddress addressParameter(String name) {
    String value = required(name, "get_address_parameter");
    try {
      return AddressText.parse(value);
    } catch (IllegalArgumentException e) {
      throw notConverted("get_address_parameter", "an address", name, value);
    }
  }

  /**
   * The value of a parameter, or null, without checking the name: for callers whose names were
   * validated once already (definitions check every dispatched message; upstream's accessors would
   * validate the same name twice per message).
   */
  String valueOrNull(String name) {
    int at = find(name);
    return at < 0 ? null : pairs[2 * at + 1];
  }

  private String required(String name, String function) {
    MessageNames.verify(name, false, true);
    int at = find(name);
    if (at < 0) {
      throw MessageException.invalid(
          "message::"
              + function
              + "(): parameter \""
              + name
              + "\" of command \""
              + command
              + "\" not defined, try has_parameter() before calling the "
              + function
              + "() function.");
    }
    return pairs[2 * at + 1];
  }

  private MessageException notConverted(String function, String what, String name, String value) {
    return MessageException.invalid(
        "message::"
            + function
            + "(): command \""
            + command
            + "\" expected "
            + what
            + " for \""
            + name
            + "\" but \""
            + value
            + "\" could not be converted.");
  }

  /**
   * Returns the number of parameters.
   *
   * @return the count
   */
  public int parameterCount() {
    return count;
  }

  /**
   * Returns the name of the parameter at an index, in byte order of names.
   *
   * @param index 0 to {@link #parameterCount()} - 1
   * @return the name
   */
  public String parameterName(int index) {
    return pairs[2 * checkIndex(index)];
  }

  /**
   * Returns the value of the parameter at an index, in byte order of names.
   *
   * @param index 0 to {@link #parameterCount()} - 1
   * @return the value
   */
  public String parameterValue(int index) {
    return pairs[2 * checkIndex(index) + 1];
  }

  private int checkIndex(int index) {
    return Objects.checkIndex(index, count);
  }

  /**
   * Returns a copy of the parameters, sorted by name.
   *
   * @return an unmodifiable sorted map
   */
  public SortedMap<String, String> parameters() {
    TreeMap<String, String> map = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      map.put(pairs[2 * i], pairs[2 * i + 1]);
    }
    return Collections.unmodifiableSortedMap(map);
  }

  // Names are ASCII (validated by setters and parsers), so String order is byte order.
  private int find(String name) {
    int low = 0;
    int high = count - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /** Adds or replaces; the name is valid. */
  private void put(String name, String value) {
    changed();
    // Fast path: messages are usually built in order.
    if (count == 0 || pairs[2 * count - 2].compareTo(name) < 0) {
      grow();
      pairs[2 * count] = name;
      pairs[2 * count + 1] = value;
      count++;
      return;
    }
    int at = find(name);
    if (at >= 0) {
      pairs[2 * at + 1] = value;
      return;
    }
    int insert = -at - 1;
    grow();
    System.arraycopy(pairs, 2 * insert, pairs, 2 * insert + 2, 2 * (count - insert));
    pairs[2 * insert] = name;
    pairs[2 * insert + 1] = value;
    count++;
  }

  private void grow() {
    if (2 * count == pairs.length) {
      pairs = Arrays.copyOf(pairs, Math.max(8, pairs.length * 2));
    }
  }

  // ---------------------------------------------------------------- non-wire state

  /** Marks the message as handled by a dispatcher entry. */
  public void markProcessed() {
    processed = true;
  }

  /**
   * Whether a dispatcher entry handled this message.
   *
   * @return the processed flag
   */
  public boolean wasProcessed() {
    return processed;
  }

  /**
   * Returns the connection this message arrived on; replies go there.
   *
   * @return the sender to reply through, or null when unknown
   */
  public MessageSender origin() {
    return origin;
  }

  /**
   * Records the connection this message arrived on (connections call this before dispatching).
   *
   * @param sender where replies to this message go
   * @return this message
   */
  public Message setOrigin(MessageSender sender) {
    origin = sender;
    return this;
  }

  /** Two messages are equal when their wire fields and parameters are equal. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Message m
        && sentFromServer.equals(m.sentFromServer)
        && sentFromService.equals(m.sentFromService)
        && server.equals(m.server)
        && service.equals(m.service)
        && command.equals(m.command)
        && Arrays.equals(pairs, 0, 2 * count, m.pairs, 0, 2 * m.count);
  }

  @Override
  public int hashCode() {
    int hash = command.hashCode();
    for (int i = 0; i < count; i++) {
      hash = 31 * hash + pairs[2 * i].hashCode() * 17 + pairs[2 * i + 1].hashCode();
    }
    return hash;
  }

  /** Returns the string form, or a description of the fields when there is no command. */
  @Override
  public String toString() {
    if (command.isEmpty()) {
      return "Message[sentFrom=<"
          + sentFromServer
          + ":"
          + sentFromService
          + ", to="
          + server
          + ":"
          + service
          + ", no command, parameters="
          + parameters()
          + "]";
    }
    return toMessage();
  }
}
