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

  BatchRun(UUID batchId, int totalSteps) {
    this.batchId = batchId;
    this.totalSteps = totalSteps;
  }

  PartialResult report(StepOutcome outcome, String workerId) {
    summaries.add(outcome.toSummary());
    if (outcome.status() == StepStatus.COMPLETED) {
      completed++;
    } else {
      failed++;
    }
    return outcome.toPartialResult(workerId, nextSequence++);
  }

  boolean allReported() {
    return summaries.size() == totalSteps;
  }

  BatchCompletion completion(Instant now) {
    return new BatchCompletion(
        batchId, totalSteps, completed, failed, totalSteps - completed - failed, summaries, now);
  }
}
