package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepMetadata;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import dev.tasker.protocol.Welcome;
import dev.tasker.worker.internal.WorkerJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real {@link StepWorker} serving batch workers, against a raw ROUTER socket, in both encodings. */
class DynamicWorkflowWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeOrchestrator orchestrator = new FakeOrchestrator();
  private StepWorker worker;

  @AfterEach
  void stopAll() {
    if (worker != null) {
      worker.close();
    }
    orchestrator.close();
  }

  private byte[] registerWorker(StepWorker.Builder builder, String encoding) {
    worker = builder.endpoint(orchestrator.endpoint()).drainTimeout(Duration.ofSeconds(1)).build().start();
    FakeOrchestrator.Received hello = orchestrator.receive(WAIT);
    assertThat(hello.message()).isInstanceOf(Hello.class);
    orchestrator.send(hello.identity(), new Welcome(worker.workerId(), "test-orchestrator", "1", encoding, 200));
    orchestrator.useEncoding(encoding);
    return hello.identity();
  }

  private static StepExecutionRequest aBatchWorkerStep(String handler, BatchCursor cursor, JsonNode checkpoint,
      int attempt) {
    ObjectNode inputs = JsonNodeFactory.instance.objectNode();
    inputs.set("cursor", WorkerJson.MAPPER.valueToTree(cursor));
    return new StepExecutionRequest(
        Ids.newId(), Ids.newId(), "process_batch_" + cursor.batchId(), handler, null,
        JsonNodeFactory.instance.objectNode(), Map.of(), new StepMetadata(attempt, 3, 10_000), inputs, checkpoint);
  }

  private static StepExecutionRequest aPlainStep(String handler) {
    return new StepExecutionRequest(
        Ids.newId(), Ids.newId(), "step_" + handler, handler, null,
        JsonNodeFactory.instance.objectNode(), Map.of(), new StepMetadata(1, 3, 10_000));
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void a_checkpoint_yield_is_sent_as_status_checkpoint_and_counted_in_no_total_of_the_completion(String encoding) {
    byte[] identity =
        registerWorker(
            StepWorker.builder()
                .handler("process", context -> StepResult.checkpointYield(
                    Map.of("offset", 100), 100, Map.of("sum", 4950)))
                .handler("plain", context -> StepResult.success()),
            encoding);
    StepExecutionRequest yielding = aBatchWorkerStep("process", new BatchCursor("001", 0, 200, 200), null, 1);
    StepBatchRequest batch = new StepBatchRequest(Ids.newId(), "1", List.of(yielding, aPlainStep("plain")));

    orchestrator.send(identity, batch);

    List<PartialResult> partials =
        List.of(orchestrator.receive(PartialResult.class, WAIT), orchestrator.receive(PartialResult.class, WAIT));
    BatchCompletion completion = orchestrator.receive(BatchCompletion.class, WAIT);
    PartialResult yielded = partials.stream().filter(p -> p.stepId().equals(yielding.stepId())).findFirst().orElseThrow();
    JsonNode expectedCheckpoint =
        WorkerJson.MAPPER.valueToTree(
            Map.of("cursor", Map.of("offset", 100), "items_processed", 100, "accumulated_results", Map.of("sum", 4950)));
    assertThat(yielded.status()).isEqualTo(StepStatus.CHECKPOINT);
    assertThat(yielded.checkpoint()).isEqualTo(expectedCheckpoint);
    assertThat(yielded.output()).isNull();
    assertThat(yielded.error()).isNull();
    StepSummary summary =
        completion.stepSummaries().stream().filter(s -> s.stepId().equals(yielding.stepId())).findFirst().orElseThrow();
    assertThat(summary.status()).isEqualTo(StepStatus.CHECKPOINT);
    assertThat(summary.checkpoint()).isEqualTo(expectedCheckpoint);
    assertThat(completion.totalSteps()).isEqualTo(2);
    assertThat(completion.completedSteps()).isEqualTo(1);
    assertThat(completion.failedSteps()).isZero();
    assertThat(completion.inProgressSteps()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "protobuf"})
  void a_resumed_batch_worker_sees_its_cursor_and_its_last_checkpoint(String encoding) {
    AtomicReference<StepContext> seen = new AtomicReference<>();
    byte[] identity =
        registerWorker(
            StepWorker.builder().handler("process", context -> {
              seen.set(context);
              BatchCursor cursor = context.cursor().orElseThrow();
              long resumeAt = context.checkpointCursor().map(c -> c.get("offset").asLong()).orElse(cursor.startCursor());
              return StepResult.success(Map.of("processed", context.itemsProcessed() + cursor.endCursor() - resumeAt));
            }),
            encoding);
    JsonNode checkpoint =
        WorkerJson.MAPPER.valueToTree(
            Map.of("cursor", Map.of("offset", 250), "items_processed", 50, "accumulated_results", List.of("a", "b")));
    StepExecutionRequest resumed = aBatchWorkerStep("process", new BatchCursor("002", 200, 400, 200), checkpoint, 2);

    orchestrator.send(identity, new StepBatchRequest(Ids.newId(), "1", List.of(resumed)));

    PartialResult result = orchestrator.receive(PartialResult.class, WAIT);
    StepContext context = seen.get();
    assertThat(result.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(result.output().get("processed").asLong()).isEqualTo(200L);
    assertThat(context.cursor()).contains(new BatchCursor("002", 200, 400, 200));
    assertThat(context.checkpoint()).contains(checkpoint);
    assertThat(context.checkpointCursor()).contains(checkpoint.get("cursor"));
    assertThat(context.itemsProcessed()).isEqualTo(50L);
    assertThat(context.accumulatedResults()).contains(checkpoint.get("accumulated_results"));
    assertThat(context.attempt()).isEqualTo(2);
  }
}
