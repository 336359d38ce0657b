package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The orchestrator's answers to well-formed, malformed and hostile messages. */
class ProtocolHandlingIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private TaskerTestSystem system;
  private RawWorker worker;

  @BeforeEach
  void start() {
    system = TaskerTestSystem.start();
    worker = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId());
  }

  @AfterEach
  void stop() {
    worker.close();
    system.close();
  }

  private static List<byte[]> frames(String version, String type, String body) {
    return List.of(version.getBytes(StandardCharsets.US_ASCII), type.getBytes(StandardCharsets.US_ASCII),
        body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_hello_without_a_common_version_is_rejected_with_the_versions_spoken() {
    worker.send(new Hello(worker.workerId, "test", "0", List.of("2", "3"), List.of("tests.raw"), 1, null));

    Reject reject = worker.receive(Reject.class, WAIT);

    assertThat(reject.reason()).contains("no common protocol version");
    assertThat(reject.supportedVersions()).containsExactly("1");
    assertThat(system.orchestrator().registeredWorkers()).isZero();
  }

  @Test
  void a_malformed_body_is_answered_with_an_error_naming_the_field_and_the_orchestrator_carries_on() {
    worker.sendFrames(frames("tasker/1", "HELLO", "{\"worker_id\": \"w\", \"concurrency\": \"many\"}"));

    ProtocolError error = worker.receive(ProtocolError.class, WAIT);
    worker.register(1, "tests.raw");

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_BODY);
    assertThat(error.message()).contains("concurrency");
    assertThat(system.orchestrator().registeredWorkers()).isEqualTo(1);
  }

  @Test
  void an_unknown_version_frame_is_answered_with_the_supported_versions() {
    worker.sendFrames(frames("tasker/2", "HEARTBEAT", "{}"));

    ProtocolError error = worker.receive(ProtocolError.class, WAIT);

    assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(error.supportedVersions()).containsExactly("1");
  }

  @Test
  void garbage_frames_are_answered_and_change_nothing() throws Exception {
    worker.sendFrames(List.of(new byte[] {1, 2, 3}));
    worker.sendFrames(frames("tasker/1", "NOT_A_TYPE", "{}"));
    worker.sendFrames(frames("tasker/1", "PARTIAL_RESULT", "[]"));

    assertThat(((ProtocolError) worker.poll(WAIT)).code()).isEqualTo(ErrorCode.MALFORMED_FRAMES);
    assertThat(((ProtocolError) worker.poll(WAIT)).code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
    assertThat(((ProtocolError) worker.poll(WAIT)).code()).isEqualTo(ErrorCode.MALFORMED_BODY);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results")).isZero();
  }

  @Test
  void a_heartbeat_before_hello_is_answered_not_registered() {
    worker.heartbeat();

    assertThat(worker.receive(ProtocolError.class, WAIT).code()).isEqualTo(ErrorCode.NOT_REGISTERED);
  }

  @Test
  void a_message_only_the_orchestrator_sends_is_refused() {
    worker.register(1, "tests.raw");

    worker.send(new StepBatchRequest(Ids.newId(), "1", List.of(
        new dev.tasker.protocol.StepExecutionRequest(Ids.newId(), Ids.newId(), "s", "h", null,
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), null,
            new dev.tasker.protocol.StepMetadata(1, 1, 10)))));

    assertThat(worker.receive(ProtocolError.class, WAIT).code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE);
  }

  @Test
  void a_result_with_a_nul_character_is_refused_before_it_reaches_the_database() throws Exception {
    worker.register(1, "tests.raw");
    system.submit("raw", Map.of());
    StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);
    String body = "{\"batch_id\":\"" + batch.batchId() + "\",\"step_id\":\"" + batch.steps().get(0).stepId()
        + "\",\"attempt\":1,\"status\":\"completed\",\"output\":\"a\\u0000b\",\"worker_id\":\"" + worker.workerId
        + "\",\"sequence\":1,\"timestamp\":\"2026-11-27T10:00:00.000Z\",\"execution_time_ms\":1}";

    worker.sendFrames(frames("tasker/1", "PARTIAL_RESULT", body));

    ProtocolError error = worker.receive(ProtocolError.class, WAIT);
    assertThat(error.message()).contains("\\u0000");
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results")).isZero();
  }

  @Test
  void a_result_whose_text_merely_spells_backslash_u0000_is_stored() throws Exception {
    worker.register(1, "tests.raw");
    CreatedTask created = system.submit("raw", Map.of());
    StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);
    String body = "{\"batch_id\":\"" + batch.batchId() + "\",\"step_id\":\"" + batch.steps().get(0).stepId()
        + "\",\"attempt\":1,\"status\":\"completed\",\"output\":\"C:\\\\u0000\",\"worker_id\":\"" + worker.workerId
        + "\",\"sequence\":1,\"timestamp\":\"2026-11-27T10:00:00.000Z\",\"execution_time_ms\":1}";

    worker.sendFrames(frames("tasker/1", "PARTIAL_RESULT", body));

    TaskSnapshot task = system.awaitFinished(created.taskId());
    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.steps().get(0).results().asText()).isEqualTo("C:\\u0000");
  }

  @Test
  void every_message_is_answered_even_a_flood_of_bad_ones() {
    for (int i = 0; i < 200; i++) {
      worker.sendFrames(frames("tasker/1", "CREDIT", "{\"credit\": " + (i % 2 == 0 ? "-1" : "\"x\"") + "}"));
    }
    int errors = 0;
    Message message;
    while ((message = worker.poll(Duration.ofSeconds(2))) != null) {
      if (message instanceof ProtocolError) {
        errors++;
      }
      if (errors == 200) {
        break;
      }
    }
    assertThat(errors).isEqualTo(200);
  }
}
