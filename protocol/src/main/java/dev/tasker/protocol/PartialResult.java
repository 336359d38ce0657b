package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Worker to orchestrator: the outcome of one step attempt, sent as soon as the step ends (or a
 * progress report while it runs).
 *
 * @param batchId the batch the step came in
 * @param stepId the step
 * @param attempt the attempt number from the step's metadata
 * @param status outcome or progress
 * @param output the handler's output; present when {@code status} is {@code completed}
 * @param error why it failed; present when {@code status} is {@code failed}
 * @param checkpoint the progress to resume from, a JSON object; present when {@code status} is
 *     {@code checkpoint} (see {@link Checkpoints})
 * @param workerId the reporting worker's id
 * @param sequence position of this message among the batch's partial results, 1, 2, 3, ... in
 *     sending order
 * @param timestamp when the worker produced the result
 * @param executionTimeMs how long the handler ran, in milliseconds
 */
public record PartialResult(
    @JsonProperty(required = true) UUID batchId,
    @JsonProperty(required = true) UUID stepId,
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) StepStatus status,
    JsonNode output,
    StepError error,
    JsonNode checkpoint,
    @JsonProperty(required = true) String workerId,
    @JsonProperty(required = true) long sequence,
    @JsonProperty(required = true) Instant timestamp,
    @JsonProperty(required = true) long executionTimeMs)
    implements Message {

  /** Validates the fields, including that a failure carries an error. */
  public PartialResult {
    Checks.required(batchId, "batch_id");
    Checks.required(stepId, "step_id");
    Checks.atLeast(attempt, 1, "attempt");
    Checks.required(status, "status");
    if (status == StepStatus.FAILED && error == null) {
      throw new IllegalArgumentException("error is required when status is failed");
    }
    Checkpoints.check(status, checkpoint, "");
    Checks.requiredText(workerId, "worker_id");
    Checks.atLeast(sequence, 1, "sequence");
    Checks.required(timestamp, "timestamp");
    Checks.atLeast(executionTimeMs, 0, "execution_time_ms");
  }

  /** A result without a checkpoint (any status but {@code checkpoint}). */
  public PartialResult(UUID batchId, UUID stepId, int attempt, StepStatus status, JsonNode output, StepError error,
      String workerId, long sequence, Instant timestamp, long executionTimeMs) {
    this(batchId, stepId, attempt, status, output, error, null, workerId, sequence, timestamp, executionTimeMs);
  }

  @Override
  public MessageType type() {
    return MessageType.PARTIAL_RESULT;
  }
}
