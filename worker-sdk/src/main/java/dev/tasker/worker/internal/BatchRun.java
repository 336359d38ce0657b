package dev.tasker.worker.internal;

import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A batch being executed: numbers its partial results 1, 2, 3, ... in sending order and builds
 * the completion when every step has been reported. Used by the socket thread only.
 */
final class BatchRun {

  private final UUID batchId;
  private final int totalSteps;
  private final List<StepSummary> summaries = new ArrayList<>();
  private long nextSequence = 1;
  private int completed;
  private int failed;
  /** Yielded a checkpoint: neither completed, failed nor in progress. */
  private int checkpointed;

  BatchRun(UUID batchId, int totalSteps) {
    this.batchId = batchId;
    this.totalSteps = totalSteps;
  }

  PartialResult report(StepOutcome outcome, String workerId) {
    summaries.add(outcome.toSummary());
    switch (outcome.status()) {
      case COMPLETED -> completed++;
      case FAILED -> failed++;
      case CHECKPOINT -> checkpointed++;
      case IN_PROGRESS -> throw new IllegalStateException("an in_progress report ends no step");
    }
    return outcome.toPartialResult(workerId, nextSequence++);
  }

  boolean allReported() {
    return summaries.size() == totalSteps;
  }

  BatchCompletion completion(Instant now) {
    return new BatchCompletion(
        batchId, totalSteps, completed, failed, totalSteps - completed - failed - checkpointed,
        summaries, now);
  }
}
