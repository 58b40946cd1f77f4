package dev.herald.bench.dispatcher;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.dispatcher.Message;
import java.util.Map;

/**
 * The baseline's model of a message: what Jackson reads and writes, with the JSON keys of Herald's
 * JSON form.
 *
 * @param sentFromServer the sender's server
 * @param sentFromService the sender's service
 * @param server the destination server
 * @param service the destination service
 * @param command the command
 * @param parameters the parameters, as text
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record JacksonMessage(
    @JsonProperty("sent-from-server") String sentFromServer,
    @JsonProperty("sent-from-service") String sentFromService,
    @JsonProperty("server") String server,
    @JsonProperty("service") String service,
    @JsonProperty("command") String command,
    @JsonProperty("parameters") Map<String, String> parameters) {

  /**
   * Copies a Herald message.
   *
   * @param message the message
   * @return the same content
   */
  public static JacksonMessage of(Message message) {
    return new JacksonMessage(
        message.sentFromServer(),
        message.sentFromService(),
        message.server(),
        message.service(),
        message.command(),
        message.parameters());
  }
}
