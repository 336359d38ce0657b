package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Worker to orchestrator: every step of a batch has ended (or the worker gave up on the rest). Sent
 * after the batch's last partial result. The orchestrator reconciles it against the partial results
 * it received and records any difference.
 *
 * @param batchId the batch
 * @param totalSteps number of steps the batch held
 * @param completedSteps how many completed
 * @param failedSteps how many failed
 * @param inProgressSteps how many had not ended when the completion was sent (normally 0)
 * @param stepSummaries one entry per step of the batch
 * @param completedAt when the worker finished the batch
 */
public record BatchCompletion(
    @JsonProperty(required = true) UUID batchId,
    @JsonProperty(required = true) int totalSteps,
    @JsonProperty(required = true) int completedSteps,
    @JsonProperty(required = true) int failedSteps,
    @JsonProperty(required = true) int inProgressSteps,
    @JsonProperty(required = true) List<StepSummary> stepSummaries,
    @JsonProperty(required = true) Instant completedAt)
    implements Message {

  /** Validates and copies the fields. Counts that disagree are the reconciler's job, not this. */
  public BatchCompletion {
    Checks.required(batchId, "batch_id");
    Checks.atLeast(totalSteps, 0, "total_steps");
    Checks.atLeast(completedSteps, 0, "completed_steps");
    Checks.atLeast(failedSteps, 0, "failed_steps");
    Checks.atLeast(inProgressSteps, 0, "in_progress_steps");
    stepSummaries = Checks.copyOf(stepSummaries, "step_summaries");
    Checks.required(completedAt, "completed_at");
  }

  @Override
  public MessageType type() {
    return MessageType.BATCH_COMPLETION;
  }
}
