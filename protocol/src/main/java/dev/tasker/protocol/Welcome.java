package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Orchestrator to worker: the HELLO was accepted. From now on both peers use {@code
 * protocolVersion} and {@code encoding}, and each sends a HEARTBEAT at least every {@code
 * heartbeatIntervalMs} milliseconds when it has nothing else to send.
 *
 * @param workerId the worker id from the HELLO being answered
 * @param orchestratorId id of the orchestrator process; a new id means the orchestrator restarted
 * @param protocolVersion the version chosen for the session
 * @param encoding the body encoding chosen for the session
 * @param heartbeatIntervalMs heartbeat period in milliseconds, at least 1
 */
public record Welcome(
    @JsonProperty(required = true) String workerId,
    @JsonProperty(required = true) String orchestratorId,
    @JsonProperty(required = true) String protocolVersion,
    @JsonProperty(required = true) String encoding,
    @JsonProperty(required = true) long heartbeatIntervalMs)
    implements Message {

  /** Validates the fields. */
  public Welcome {
    Checks.requiredText(workerId, "worker_id");
    Checks.requiredText(orchestratorId, "orchestrator_id");
    Checks.requiredText(protocolVersion, "protocol_version");
    Checks.requiredText(encoding, "encoding");
    Checks.atLeast(heartbeatIntervalMs, 1, "heartbeat_interval_ms");
  }

  @Override
  public MessageType type() {
    return MessageType.WELCOME;
  }
}
