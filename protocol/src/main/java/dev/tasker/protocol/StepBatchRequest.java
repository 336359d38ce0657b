package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Orchestrator to worker: steps to execute, all of them served by the receiving worker. The worker
 * answers with one {@link PartialResult} per step as each ends, then one {@link BatchCompletion}.
 *
 * @param batchId UUIDv7 of the batch; every result names it
 * @param protocolVersion the session's protocol version
 * @param steps the steps, at least one, each step id at most once
 */
public record StepBatchRequest(
    @JsonProperty(required = true) UUID batchId,
    @JsonProperty(required = true) String protocolVersion,
    @JsonProperty(required = true) List<StepExecutionRequest> steps)
    implements Message {

  /** Validates and copies the fields. */
  public StepBatchRequest {
    Checks.required(batchId, "batch_id");
    Checks.requiredText(protocolVersion, "protocol_version");
    steps = Checks.copyOf(steps, "steps");
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("steps must not be empty");
    }
    Set<UUID> seen = new HashSet<>();
    for (StepExecutionRequest step : steps) {
      if (!seen.add(step.stepId())) {
        throw new IllegalArgumentException("steps contains step_id " + step.stepId() + " twice");
      }
    }
  }

  @Override
  public MessageType type() {
    return MessageType.STEP_BATCH;
  }
}
