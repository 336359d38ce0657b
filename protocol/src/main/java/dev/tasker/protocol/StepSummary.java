package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/**
 * One step's final state inside a {@link BatchCompletion}. It repeats what the step's terminal
 * partial result said, so a lost partial result loses nothing.
 *
 * @param stepId the step
 * @param attempt the attempt number from the step's metadata
 * @param status the step's final status in this batch
 * @param output the handler's output when completed
 * @param error why it failed when failed
 * @param checkpoint the checkpoint when the step yielded (status {@code checkpoint})
 * @param executionTimeMs how long the handler ran, in milliseconds
 */
public record StepSummary(
    @JsonProperty(required = true) UUID stepId,
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) StepStatus status,
    JsonNode output,
    StepError error,
    JsonNode checkpoint,
    @JsonProperty(required = true) long executionTimeMs) {

  /** Validates the fields. */
  public StepSummary {
    Checks.required(stepId, "step_summaries[].step_id");
    Checks.atLeast(attempt, 1, "step_summaries[].attempt");
    Checks.required(status, "step_summaries[].status");
    if (status == StepStatus.FAILED && error == null) {
      throw new IllegalArgumentException("step_summaries[].error is required when status is failed");
    }
    Checkpoints.check(status, checkpoint, "step_summaries[].");
    Checks.atLeast(executionTimeMs, 0, "step_summaries[].execution_time_ms");
  }

  /** A summary without a checkpoint (any status but {@code checkpoint}). */
  public StepSummary(UUID stepId, int attempt, StepStatus status, JsonNode output, StepError error,
      long executionTimeMs) {
    this(stepId, attempt, status, output, error, null, executionTimeMs);
  }
}
