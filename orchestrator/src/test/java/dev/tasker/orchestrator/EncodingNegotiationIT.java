package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.ProtobufCodec;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.Welcome;
import dev.tasker.worker.StepWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a session's body encoding is chosen, and that tasks flow the same in either encoding. */
class EncodingNegotiationIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static OrchestratorConfig preferring(String... encodings) {
    return OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8).encodings(encodings).build();
  }

  private static String encodingOf(TaskerTestSystem system, StepWorker worker) throws Exception {
    for (String encoding : List.of("json", "protobuf")) {
      if (system.count("SELECT count(*) FROM tasker.workers WHERE worker_id = '" + worker.workerId()
          + "' AND encoding = '" + encoding + "'") == 1) {
        return encoding;
      }
    }
    return null;
  }

  @Test
  void json_is_the_default_when_the_worker_offers_both() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start()) {
      StepWorker worker = system.worker(TestHandlers.all(), 4);
      CreatedTask created = system.submit("linear", Map.of("start", 1));

      assertThat(system.awaitFinished(created.taskId()).state()).isEqualTo(TaskState.COMPLETE);
      assertThat(encodingOf(system, worker)).isEqualTo("json");
    }
  }

  @Test
  void a_task_flows_end_to_end_in_a_protobuf_session_and_the_ledger_still_holds_json() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(preferring("protobuf", "json"))) {
      StepWorker worker = system.worker(TestHandlers.all(), 4);
      CreatedTask created = system.submit("linear", Map.of("start", 10));

      TaskSnapshot task = system.awaitFinished(created.taskId());

      assertThat(encodingOf(system, worker)).isEqualTo("protobuf");
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(task.step("third").orElseThrow().results().get("value").asLong()).isEqualTo(13);
      assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results"
          + " WHERE message_type = 'partial_result' AND outcome = 'applied'"
          + " AND raw_message ->> 'status' = 'completed' AND raw_message -> 'output' ->> 'value' IS NOT NULL")).isEqualTo(3);
      assertThat(system.awaitCount("SELECT count(*) FROM tasker.step_execution_batch_received_results"
          + " WHERE message_type = 'batch_completion' AND json_array_length(raw_message -> 'step_summaries') = 1", 3))
          .isEqualTo(3);
    }
  }

  @Test
  void a_worker_offering_only_protobuf_gets_protobuf_from_a_json_first_orchestrator() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start()) {
      StepWorker worker = system.worker(TestHandlers.all(), 4, builder -> builder.encodings("protobuf"));
      CreatedTask created = system.submit("linear", Map.of("start", 0));

      assertThat(system.awaitFinished(created.taskId()).state()).isEqualTo(TaskState.COMPLETE);
      assertThat(encodingOf(system, worker)).isEqualTo("protobuf");
    }
  }

  @Test
  void a_worker_without_a_common_encoding_is_rejected_naming_both_lists() {
    try (TaskerTestSystem system = TaskerTestSystem.start(preferring("protobuf"));
        RawWorker raw = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      raw.send(new Hello(raw.workerId, "test", "0", List.of("1"), List.of("tests.raw"), 1, List.of("json", "msgpack")));

      Reject reject = raw.receive(Reject.class, WAIT);

      assertThat(reject.reason()).contains("no common encoding").contains("[json, msgpack]").contains("[protobuf]");
      assertThat(system.orchestrator().registeredWorkers()).isZero();
    }
  }

  @Test
  void a_worker_still_speaking_protobuf_from_an_earlier_session_is_told_to_register() {
    try (TaskerTestSystem system = TaskerTestSystem.start();
        RawWorker raw = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      raw.useCodec(ProtobufCodec.instance());

      raw.heartbeat();
      ProtocolError error = raw.receive(ProtocolError.class, WAIT);

      assertThat(error.code()).isEqualTo(ErrorCode.NOT_REGISTERED);
      assertThat(error.message()).contains("send HELLO first");
    }
  }

  @Test
  void a_protobuf_session_sends_batches_in_protobuf_and_refuses_json_results() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(preferring("protobuf", "json"));
        RawWorker raw = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      raw.send(new Hello(raw.workerId, "test", "0", List.of("1"), List.of("tests.raw"), 1, List.of("json", "protobuf")));
      Welcome welcome = raw.receive(Welcome.class, WAIT);
      assertThat(welcome.encoding()).isEqualTo("protobuf");
      raw.useCodec(ProtobufCodec.instance());
      system.submit("raw", Map.of());

      StepBatchRequest batch = (StepBatchRequest) raw.pollAlive(WAIT);
      raw.sendFrames(List.of("tasker/1".getBytes(StandardCharsets.US_ASCII),
          "PARTIAL_RESULT".getBytes(StandardCharsets.US_ASCII),
          JsonCodec.instance().encode(raw.completed(batch, batch.steps().get(0)))));
      ProtocolError error = (ProtocolError) raw.pollAlive(WAIT);

      assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_BODY);
      assertThat(error.message()).contains("PARTIAL_RESULT");
      raw.send(raw.completed(batch, batch.steps().get(0)));
      raw.send(raw.completion(batch));
      assertThat(system.tasker.awaitFinished(batch.steps().get(0).taskId(), WAIT).state())
          .isEqualTo(TaskState.COMPLETE);
    }
  }
}
