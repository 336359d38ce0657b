package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

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
 * @param orchestrators the live orchestrators on the same database (the sender may be among
 *     them), so that a worker given one endpoint can open a session with each; empty when the
 *     orchestrator does not say (absent on the wire). A worker may ignore it.
 */
public record Welcome(
    @JsonProperty(required = true) String workerId,
    @JsonProperty(required = true) String orchestratorId,
    @JsonProperty(required = true) String protocolVersion,
    @JsonProperty(required = true) String encoding,
    @JsonProperty(required = true) long heartbeatIntervalMs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<OrchestratorEndpoints> orchestrators)
    implements Message {

  /**
   * One live orchestrator and the endpoints a worker can connect to.
   *
   * @param orchestratorId the orchestrator's id, as in its own WELCOME
   * @param endpoints its ZeroMQ endpoints, for example {@code tcp://10.0.0.5:5555}; may be empty
   */
  public record OrchestratorEndpoints(
      @JsonProperty(required = true) String orchestratorId,
      @JsonProperty(required = true) List<String> endpoints) {

    /** Validates and copies the fields. */
    public OrchestratorEndpoints {
      Checks.requiredText(orchestratorId, "orchestrators[].orchestrator_id");
      endpoints = Checks.copyOf(endpoints, "orchestrators[].endpoints");
      for (String endpoint : endpoints) {
        Checks.requiredText(endpoint, "orchestrators[].endpoints[]");
      }
    }
  }

  /** Validates and copies the fields; {@code null} orchestrators become empty. */
  public Welcome {
    Checks.requiredText(workerId, "worker_id");
    Checks.requiredText(orchestratorId, "orchestrator_id");
    Checks.requiredText(protocolVersion, "protocol_version");
    Checks.requiredText(encoding, "encoding");
    Checks.atLeast(heartbeatIntervalMs, 1, "heartbeat_interval_ms");
    orchestrators = orchestrators == null ? List.of() : Checks.copyOf(orchestrators, "orchestrators");
  }

  /** A WELCOME that names no other orchestrators. */
  public Welcome(
      String workerId, String orchestratorId, String protocolVersion, String encoding, long heartbeatIntervalMs) {
    this(workerId, orchestratorId, protocolVersion, encoding, heartbeatIntervalMs, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.WELCOME;
  }
}
