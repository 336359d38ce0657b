package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * Orchestrator to worker: these results are stored (applied, recorded or refused with a reason).
 * A worker keeps every result it sent until it is acknowledged and sends the unacknowledged ones
 * again, in order, after it registers again; once acknowledged it may forget them. A worker that
 * ignores ACK loses nothing while the orchestrator stays up, but results in flight when the
 * orchestrator stops can only be recovered by running the steps again.
 *
 * @param partialResults the partial results stored, by batch and step
 * @param batchCompletions the batch completions stored, by batch
 */
public record Ack(
    @JsonProperty(required = true) List<ResultRef> partialResults,
    @JsonProperty(required = true) List<UUID> batchCompletions)
    implements Message {

  /**
   * A partial result, by batch and step.
   *
   * @param batchId the batch
   * @param stepId the step
   */
  public record ResultRef(
      @JsonProperty(required = true) UUID batchId, @JsonProperty(required = true) UUID stepId) {

    /** Validates the fields. */
    public ResultRef {
      Checks.required(batchId, "partial_results[].batch_id");
      Checks.required(stepId, "partial_results[].step_id");
    }
  }

  /** Validates and copies the fields. */
  public Ack {
    partialResults = Checks.copyOf(partialResults, "partial_results");
    batchCompletions = Checks.copyOf(batchCompletions, "batch_completions");
  }

  @Override
  public MessageType type() {
    return MessageType.ACK;
  }
}
