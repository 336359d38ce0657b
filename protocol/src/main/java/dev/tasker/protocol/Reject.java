package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Orchestrator to worker: the HELLO was refused and no session exists. The worker should log the
 * reason and stop, or retry with different parameters.
 *
 * @param workerId the worker id from the refused HELLO, or empty when it could not be read
 * @param reason human-readable explanation naming what is wrong
 * @param supportedVersions the protocol versions the orchestrator speaks
 */
public record Reject(
    @JsonProperty(required = true) String workerId,
    @JsonProperty(required = true) String reason,
    @JsonProperty(required = true) List<String> supportedVersions)
    implements Message {

  /** Validates and copies the fields. */
  public Reject {
    Checks.required(workerId, "worker_id");
    Checks.requiredText(reason, "reason");
    supportedVersions = Checks.copyOf(supportedVersions, "supported_versions");
  }

  @Override
  public MessageType type() {
    return MessageType.REJECT;
  }
}
