package dev.tasker.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchRunTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final UUID batchId = UUID.randomUUID();

  private StepOutcome aStepThat(StepStatus status) {
    var checkpoint = status == StepStatus.CHECKPOINT
        ? JsonNodeFactory.instance.objectNode().put("cursor", 10).put("items_processed", 10)
        : null;
    StepError error = status == StepStatus.FAILED ? new StepError("boom", "handler_error", List.of(), true, null) : null;
    return new StepOutcome(batchId, UUID.randomUUID(), 1, status, null, error, checkpoint, 3, NOW);
  }

  @Test
  void a_checkpointed_step_counts_as_neither_completed_failed_nor_in_progress() {
    BatchRun run = new BatchRun(batchId, 4);
    run.report(aStepThat(StepStatus.COMPLETED), "worker-1");
    run.report(aStepThat(StepStatus.FAILED), "worker-1");
    run.report(aStepThat(StepStatus.CHECKPOINT), "worker-1");

    BatchCompletion completion = run.completion(NOW);

    assertThat(completion.totalSteps()).isEqualTo(4);
    assertThat(completion.completedSteps()).isEqualTo(1);
    assertThat(completion.failedSteps()).isEqualTo(1);
    assertThat(completion.inProgressSteps()).isEqualTo(1);
    assertThat(completion.stepSummaries()).extracting(s -> s.status())
        .containsExactly(StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.CHECKPOINT);
    assertThat(completion.stepSummaries().get(2).checkpoint().get("cursor").asInt()).isEqualTo(10);
  }
}
