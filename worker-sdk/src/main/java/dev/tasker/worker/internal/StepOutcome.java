package dev.tasker.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.time.Instant;
import java.util.UUID;

/**
 * How one step attempt ended, before it is numbered and sent.
 *
 * @param batchId the batch the step came in
 * @param stepId the step
 * @param attempt the attempt number from the request
 * @param status {@code COMPLETED}, {@code FAILED} or {@code CHECKPOINT}
 * @param output the output when completed
 * @param error the error when failed
 * @param checkpoint the checkpoint object when the step yielded one
 * @param executionTimeMs how long the handler ran
 * @param finishedAt when it ended, millisecond precision
 */
public record StepOutcome(
    UUID batchId,
    UUID stepId,
    int attempt,
    StepStatus status,
    JsonNode output,
    StepError error,
    JsonNode checkpoint,
    long executionTimeMs,
    Instant finishedAt) {

  /** The partial result that reports this outcome. */
  public PartialResult toPartialResult(String workerId, long sequence) {
    return new PartialResult(
        batchId, stepId, attempt, status, output, error, checkpoint, workerId, sequence, finishedAt,
        executionTimeMs);
  }

  /** The batch-completion summary of this outcome. */
  public StepSummary toSummary() {
    return new StepSummary(stepId, attempt, status, output, error, checkpoint, executionTimeMs);
  }
}
