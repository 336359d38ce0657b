package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenMessagesTest {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  static Stream<String> goldenFiles() {
    return Stream.concat(
        Arrays.stream(MessageType.values()).map(Enum::name), Stream.of("PARTIAL_RESULT_failed", "WELCOME_orchestrators", "PARTIAL_RESULT_checkpoint", "STEP_BATCH_resume"));
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void every_golden_message_decodes_and_encodes_back_to_the_same_json(String name) {
    byte[] golden = read(name);
    MessageType type = typeOf(name);

    Message decoded = JsonCodec.instance().decode(type, golden);
    byte[] reencoded = JsonCodec.instance().encode(decoded);

    assertThat(decoded.type()).isEqualTo(type);
    assertThat(tree(reencoded)).isEqualTo(tree(golden));
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void every_golden_message_survives_framing(String name) {
    MessageType type = typeOf(name);
    Message decoded = JsonCodec.instance().decode(type, read(name));

    Message roundTripped = Frames.decode(Frames.encode(decoded));

    assertThat(roundTripped).isEqualTo(decoded);
  }

  @Test
  void a_golden_step_batch_carries_every_field_of_the_step() {
    StepBatchRequest batch =
        (StepBatchRequest) JsonCodec.instance().decode(MessageType.STEP_BATCH, read("STEP_BATCH"));

    StepExecutionRequest step = batch.steps().get(0);
    assertThat(batch.batchId()).isEqualTo(UUID.fromString("0192f3a4-7000-7abc-8def-0123456789ab"));
    assertThat(batch.protocolVersion()).isEqualTo("1");
    assertThat(step.stepName()).isEqualTo("ship_order");
    assertThat(step.handler()).isEqualTo("order_fulfillment.ship_order");
    assertThat(step.handlerConfig().get("carrier").asText()).isEqualTo("UPS");
    assertThat(step.taskContext().get("order_id").asLong()).isEqualTo(12345L);
    assertThat(step.previousResults()).containsOnlyKeys("validate_order", "process_payment");
    assertThat(step.metadata()).isEqualTo(new StepMetadata(1, 3, 30000));
  }

  /** The message type of golden file {@code name}: a type, optionally followed by {@code _variant}. */
  static MessageType typeOf(String name) {
    return Arrays.stream(MessageType.values())
        .filter(type -> name.equals(type.name()) || name.startsWith(type.name() + "_"))
        .max(java.util.Comparator.comparingInt(type -> type.name().length()))
        .orElseThrow(() -> new IllegalArgumentException(name + " does not start with a message type"));
  }

  @Test
  void a_golden_welcome_names_the_live_orchestrators_and_their_endpoints() {
    Welcome welcome =
        (Welcome) JsonCodec.instance().decode(MessageType.WELCOME, read("WELCOME_orchestrators"));

    assertThat(welcome.orchestrators())
        .containsExactly(
            new Welcome.OrchestratorEndpoints(
                "0192f3a4-0000-7000-8000-000000000001", java.util.List.of("tcp://10.0.0.5:5555")),
            new Welcome.OrchestratorEndpoints(
                "0192f3a4-0000-7000-8000-000000000002",
                java.util.List.of("tcp://10.0.0.6:5555", "tcp://10.0.1.6:5555")));
  }

  @Test
  void a_welcome_without_orchestrators_reads_as_empty_and_is_sent_without_the_field() {
    Welcome welcome = (Welcome) JsonCodec.instance().decode(MessageType.WELCOME, read("WELCOME"));

    assertThat(welcome.orchestrators()).isEmpty();
    assertThat(tree(JsonCodec.instance().encode(welcome)).has("orchestrators")).isFalse();
  }

  @Test
  void a_golden_failed_partial_result_carries_its_error() {
    PartialResult result =
        (PartialResult)
            JsonCodec.instance().decode(MessageType.PARTIAL_RESULT, read("PARTIAL_RESULT_failed"));

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().retryAfterMs()).isEqualTo(5000L);
    assertThat(result.error().errorType()).isEqualTo("GatewayUnavailable");
    assertThat(result.sequence()).isEqualTo(2);
    assertThat(result.output()).isNull();
  }

  @Test
  void a_hello_without_encodings_defaults_to_json() {
    String json =
        """
        {"worker_id":"w1","language":"python","sdk_version":"0.0.1",
         "protocol_versions":["1"],"handlers":["a"],"concurrency":2}
        """;

    Hello hello = (Hello) JsonCodec.instance().decode(MessageType.HELLO, json.getBytes());

    assertThat(hello.encodings()).containsExactly("json");
  }

  private static byte[] read(String name) {
    try (InputStream in = GoldenMessagesTest.class.getResourceAsStream("/golden/json/" + name + ".json")) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return PLAIN.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
