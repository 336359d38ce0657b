package dev.tasker.orchestrator;

import java.time.Instant;
import java.util.List;

/**
 * An orchestrator as registered in the database ({@code tasker.orchestrators}).
 *
 * @param orchestratorId its id (a new one per process start)
 * @param host the machine it runs on
 * @param endpoints the endpoints it advertises to workers
 * @param startedAt when it started
 * @param heartbeatAt its last heartbeat
 * @param stoppedAt when it stopped cleanly, or {@code null}
 * @param sinceHeartbeatMs milliseconds since its last heartbeat, by the database's clock
 */
public record OrchestratorSnapshot(
    String orchestratorId,
    String host,
    List<String> endpoints,
    Instant startedAt,
    Instant heartbeatAt,
    Instant stoppedAt,
    long sinceHeartbeatMs) {

  /**
   * Whether the others count it alive: not stopped, and a heartbeat within {@code livenessMs}
   * (heartbeat interval × heartbeat liveness; 3,000 ms by default).
   */
  public boolean alive(long livenessMs) {
    return stoppedAt == null && sinceHeartbeatMs < livenessMs;
  }
}
