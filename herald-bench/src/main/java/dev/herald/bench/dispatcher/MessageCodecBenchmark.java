package dev.herald.bench.dispatcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.herald.dispatcher.Message;
import dev.herald.dispatcher.MessageParser;
import dev.herald.dispatcher.MessageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse and serialise throughput of one message: Herald's string form, Herald's JSON form, and
 * Jackson (databind, a record with the same fields) reading and writing the same content as JSON.
 * Every writer reuses its output buffer; every parser reads from a byte array.
 *
 * <ul>
 *   <li>{@code command60}: {@code <web1:front cluckd/LOCK object_name=job7;pid=1234;timeout=30}, 60
 *       bytes, three parameters;
 *   <li>{@code log1k}: a snaplogger {@code LOG} message of 1 024 bytes (eight parameters, the
 *       message quoted because it holds a {@code ;}).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessageCodecBenchmark {
  /** The message: a 60-byte command or a 1 KiB log entry. */
  @Param({"command60", "log1k"})
  public String scenario;

  private final MessageParser parser = new MessageParser();
  private final MessageWriter writer = new MessageWriter();
  private final ObjectMapper mapper = new ObjectMapper();
  private final ObjectReader jacksonReader = mapper.readerFor(JacksonMessage.class);
  private final ObjectWriter jacksonWriter = mapper.writerFor(JacksonMessage.class);
  private final ByteArrayOutputStream jacksonOut = new ByteArrayOutputStream(2048);

  private Message message;
  private byte[] stringForm;
  private byte[] jsonForm;
  private JacksonMessage jacksonMessage;

  /** Builds the message and its encodings; checks that Jackson reads the same content. */
  @Setup
  public void setUp() throws IOException {
    message = Message.parse(wire(scenario));
    stringForm = message.toMessage().getBytes(StandardCharsets.UTF_8);
    jsonForm = message.toJson().getBytes(StandardCharsets.UTF_8);
    jacksonMessage = JacksonMessage.of(message);
    JacksonMessage read = jacksonReader.readValue(jsonForm);
    if (!read.parameters().equals(message.parameters())
        || !read.command().equals(message.command())) {
      throw new IllegalStateException("Jackson read different content: " + read);
    }
  }

  static String wire(String scenario) {
    return switch (scenario) {
      case "command60" -> "<web1:front cluckd/LOCK object_name=job7;pid=1234;timeout=30";
      case "log1k" -> {
        String head =
            "<web1:snaplogger snaploggerd/LOG components=normal,network;fields=id:33,user:bob;"
                + "filename=DiskMonitor.java;function=checkSpace;line=212;message=\"";
        String tail = "\";severity=error;timestamp=1715440881.543723981";
        StringBuilder text = new StringBuilder("disk full; retrying in 30 seconds:");
        while (head.length() + text.length() + tail.length() < 1024) {
          text.append(" volume /srv/data").append(text.length() % 10).append(" at 99%");
        }
        text.setLength(1024 - head.length() - tail.length());
        yield head + text + tail;
      }
      default -> throw new IllegalArgumentException(scenario);
    };
  }

  /**
   * Herald: parse the string form from bytes.
   *
   * @return the message
   */
  @Benchmark
  public Message heraldParseString() {
    return parser.parse(stringForm, 0, stringForm.length);
  }

  /**
   * Herald: parse the JSON form from bytes.
   *
   * @return the message
   */
  @Benchmark
  public Message heraldParseJson() {
    return parser.parse(jsonForm, 0, jsonForm.length);
  }

  /**
   * Baseline: Jackson reads the JSON form into a record.
   *
   * @return the record
   * @throws IOException never
   */
  @Benchmark
  public JacksonMessage jacksonRead() throws IOException {
    return jacksonReader.readValue(jsonForm);
  }

  /**
   * Herald: write the string form into a reused buffer.
   *
   * @return the length
   */
  @Benchmark
  public int heraldWriteString() {
    return writer.writeString(message).length();
  }

  /**
   * Herald: write the JSON form into a reused buffer.
   *
   * @return the length
   */
  @Benchmark
  public int heraldWriteJson() {
    return writer.writeJson(message).length();
  }

  /**
   * Baseline: Jackson writes the record as JSON into a reused stream.
   *
   * @return the length
   * @throws IOException never
   */
  @Benchmark
  public int jacksonWrite() throws IOException {
    jacksonOut.reset();
    jacksonWriter.writeValue(jacksonOut, jacksonMessage);
    return jacksonOut.size();
  }
}
