package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.BackoffKind;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.protocol.StepStatus;
import java.util.Map;
import java.util.UUID;

/**
 * What the database says about the steps and batches a set of results refers to, read (steps
 * locked) in the transaction that applies them.
 *
 * @param steps steps by id
 * @param batches batches by id
 * @param reported terminal statuses already reported in partial results, by batch and step
 */
record ResultSnapshot(
    Map<UUID, StepRow> steps, Map<UUID, BatchRow> batches, Map<UUID, Map<UUID, StepStatus>> reported) {

  /**
   * A step's current state and retry settings.
   *
   * @param locked whether this transaction holds the step's row lock; a decision may change only
   *     a locked step
   * @param handler the step's handler, for metrics
   * @param kind the step's kind ({@code standard}, {@code decision}, ...)
   * @param backoff how its retry delay grows
   */
  record StepRow(
      UUID stepId,
      UUID taskId,
      StepState state,
      int attempts,
      int maxAttempts,
      boolean retryable,
      long backoffBaseMs,
      long maxBackoffMs,
      boolean locked,
      String handler,
      StepType kind,
      BackoffKind backoff) {}

  /** A batch: its worker, size, current state and the attempt of each step it carried. */
  record BatchRow(UUID batchId, String workerId, int stepCount, BatchState state, Map<UUID, Integer> attemptByStep) {}
}
