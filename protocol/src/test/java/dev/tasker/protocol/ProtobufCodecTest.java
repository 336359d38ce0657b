package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.tasker.protocol.proto.v1.TaskerV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

  private static final ProtobufCodec CODEC = ProtobufCodec.instance();
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private static void assertMalformed(MessageType type, byte[] body, String expectedInMessage) {
    assertThatThrownBy(() -> CODEC.decode(type, body))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(expectedInMessage)
        .satisfies(e -> assertThat(((MalformedMessageException) e).code()).isEqualTo(ErrorCode.MALFORMED_BODY));
  }

  private static TaskerV1.PartialResult.Builder aValidPartialResult() {
    return TaskerV1.PartialResult.newBuilder()
        .setBatchId(UUID.randomUUID().toString())
        .setStepId(UUID.randomUUID().toString())
        .setAttempt(1)
        .setStatus(TaskerV1.StepStatus.STEP_STATUS_COMPLETED)
        .setOutputJson("{\"n\":1}")
        .setWorkerId("worker-1")
        .setSequence(1)
        .setTimestamp(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .setExecutionTimeMs(3);
  }

  @Test
  void json_values_travel_as_text_so_no_number_or_key_changes() throws IOException {
    JsonNode output = PLAIN.readTree(
        "{\"big\":12345678901234567890123,\"exact\":0.1000000000000000055511151231257827,"
            + "\"unicode\":\"Grüße 🚚\",\"nested\":[{\"a\":null}],\"long\":9007199254740993}");
    PartialResult result = new PartialResult(UUID.randomUUID(), UUID.randomUUID(), 2, StepStatus.COMPLETED,
        output, null, "w", 7, Instant.parse("2026-11-27T10:15:30.123456789Z"), 12);

    PartialResult decoded = (PartialResult) CODEC.decode(MessageType.PARTIAL_RESULT, CODEC.encode(result));

    assertThat(decoded).isEqualTo(result);
    assertThat(decoded.output().get("big").bigIntegerValue()).hasToString("12345678901234567890123");
    assertThat(decoded.output().get("long").asLong()).isEqualTo(9007199254740993L);
    assertThat(decoded.timestamp().getNano()).isEqualTo(123456789);
  }

  @Test
  void an_absent_held_batches_differs_from_an_empty_one() {
    Hello untracked = new Hello("w", "java", "1", List.of("1"), List.of("h"), 2, null, null);
    Hello tracked = new Hello("w", "java", "1", List.of("1"), List.of("h"), 2, null, List.of());

    assertThat(((Hello) CODEC.decode(MessageType.HELLO, CODEC.encode(untracked))).heldBatches()).isNull();
    assertThat(((Hello) CODEC.decode(MessageType.HELLO, CODEC.encode(tracked))).heldBatches()).isEmpty();
  }

  @Test
  void bytes_that_are_not_protobuf_are_malformed() {
    assertMalformed(MessageType.PARTIAL_RESULT, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, "not a valid protobuf");
  }

  @Test
  void a_json_body_in_a_protobuf_session_is_refused_and_not_misread() {
    byte[] json = JsonCodec.instance().encode(new Credit(3));

    assertThatThrownBy(() -> CODEC.decode(MessageType.CREDIT, json)).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void a_missing_required_string_is_named() {
    assertMalformed(MessageType.PARTIAL_RESULT, aValidPartialResult().clearWorkerId().build().toByteArray(), "worker_id");
  }

  @Test
  void a_missing_timestamp_is_named() {
    assertMalformed(MessageType.PARTIAL_RESULT, aValidPartialResult().clearTimestamp().build().toByteArray(),
        "timestamp is required");
  }

  @Test
  void an_id_that_is_not_a_uuid_is_named() {
    assertMalformed(MessageType.PARTIAL_RESULT, aValidPartialResult().setStepId("step-1").build().toByteArray(),
        "step_id must be a UUID");
  }

  @Test
  void an_unspecified_status_is_refused() {
    assertMalformed(MessageType.PARTIAL_RESULT,
        aValidPartialResult().setStatus(TaskerV1.StepStatus.STEP_STATUS_UNSPECIFIED).build().toByteArray(),
        "status must be completed, failed, in_progress or checkpoint");
  }

  @Test
  void an_output_that_is_not_json_text_is_named() {
    assertMalformed(MessageType.PARTIAL_RESULT, aValidPartialResult().setOutputJson("{oops").build().toByteArray(),
        "output_json: not valid JSON text");
  }

  @Test
  void trailing_text_after_a_json_value_is_refused() {
    assertMalformed(MessageType.PARTIAL_RESULT, aValidPartialResult().setOutputJson("1 2").build().toByteArray(),
        "output_json");
  }

  @Test
  void nanos_out_of_range_are_refused() {
    assertMalformed(MessageType.PARTIAL_RESULT,
        aValidPartialResult().setTimestamp(Timestamp.newBuilder().setSeconds(1).setNanos(-1)).build().toByteArray(),
        "timestamp.nanos");
  }

  @Test
  void a_failed_result_without_an_error_is_refused() {
    assertMalformed(MessageType.PARTIAL_RESULT,
        aValidPartialResult().setStatus(TaskerV1.StepStatus.STEP_STATUS_FAILED).build().toByteArray(),
        "error is required when status is failed");
  }

  /** A one-step batch whose step is valid but for what {@code change} does to it. */
  private static byte[] aBatchWithOneStep(java.util.function.Consumer<TaskerV1.StepExecutionRequest.Builder> change) {
    TaskerV1.StepExecutionRequest.Builder step = TaskerV1.StepExecutionRequest.newBuilder()
        .setStepId(UUID.randomUUID().toString())
        .setTaskId(UUID.randomUUID().toString())
        .setStepName("s")
        .setHandler("h")
        .setTaskContextJson("{}")
        .setMetadata(TaskerV1.StepMetadata.newBuilder().setAttempt(1).setMaxAttempts(1).setTimeoutMs(10));
    change.accept(step);
    return TaskerV1.StepBatch.newBuilder()
        .setBatchId(UUID.randomUUID().toString())
        .setProtocolVersion("1")
        .addSteps(step)
        .build()
        .toByteArray();
  }

  @Test
  void a_step_whose_task_context_is_not_an_object_is_refused() {
    assertMalformed(MessageType.STEP_BATCH, aBatchWithOneStep(step -> step.setTaskContextJson("[1]")),
        "task_context must be a JSON object");
  }

  @Test
  void a_step_without_metadata_is_named() {
    assertMalformed(MessageType.STEP_BATCH, aBatchWithOneStep(TaskerV1.StepExecutionRequest.Builder::clearMetadata),
        "steps[0].metadata is required");
  }

  @Test
  void previous_results_keep_every_step_name() {
    StepBatchRequest golden = (StepBatchRequest) JsonCodec.instance().decode(MessageType.STEP_BATCH,
        readGolden("json/STEP_BATCH.json"));

    StepBatchRequest decoded = (StepBatchRequest) CODEC.decode(MessageType.STEP_BATCH, CODEC.encode(golden));

    assertThat(decoded.steps().get(0).previousResults())
        .isEqualTo(Map.copyOf(golden.steps().get(0).previousResults()));
  }

  /**
   * 6,000 generated bodies: every golden vector truncated at every length, and with random bytes
   * flipped, plus random bytes. Each decodes to a message that encodes again, or is refused with
   * {@link MalformedMessageException}; nothing else escapes.
   */
  @Test
  void damaged_protobuf_bodies_are_decoded_or_refused_and_never_crash_the_decoder() {
    SplittableRandom random = new SplittableRandom(0x7A5C_2026_1127L);
    int cases = 0;
    for (MessageType type : MessageType.values()) {
      byte[] golden = readGolden("protobuf/" + type.name() + ".bin");
      for (int length = 0; length < golden.length; length++) {
        check(type, Arrays.copyOf(golden, length), "truncated to " + length);
        cases++;
      }
      for (int i = 0; i < 300; i++) {
        byte[] damaged = golden.clone();
        int flips = 1 + random.nextInt(4);
        for (int f = 0; f < flips && damaged.length > 0; f++) {
          damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        }
        check(type, damaged, "flipped case " + i);
        byte[] noise = new byte[random.nextInt(64)];
        for (int b = 0; b < noise.length; b++) {
          noise[b] = (byte) random.nextInt(256);
        }
        check(type, noise, "noise case " + i);
        cases += 2;
      }
    }
    assertThat(cases).isGreaterThan(6_000);
  }

  private static void check(MessageType type, byte[] body, String where) {
    try {
      Message message = CODEC.decode(type, body);
      assertThat(message.type()).isEqualTo(type);
      CODEC.encode(message);
      JsonCodec.instance().encode(message);
    } catch (MalformedMessageException e) {
      assertThat(e.getMessage()).as(where).startsWith(type.wireName());
    } catch (RuntimeException | AssertionError e) {
      fail(type + " " + where + " " + Arrays.toString(body) + " escaped: " + e, e);
    }
  }

  private static byte[] readGolden(String relative) {
    try {
      return Files.readAllBytes(Path.of("golden").resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
