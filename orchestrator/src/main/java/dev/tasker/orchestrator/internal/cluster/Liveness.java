package dev.tasker.orchestrator.internal.cluster;

/**
 * This orchestrator as the others see it: its id, and how long a heartbeat row (of an
 * orchestrator, or a worker's {@code last_heartbeat_at}) stays fresh. Every judgement of who is
 * alive is made in SQL against {@code now()}, the database's clock, with {@link #windowMs}.
 *
 * @param orchestratorId this process's id, recorded with each batch it makes
 * @param windowMs the liveness window, in milliseconds: heartbeat interval × heartbeat liveness
 */
public record Liveness(String orchestratorId, long windowMs) {

  /** Validates the window. */
  public Liveness {
    if (windowMs < 1) {
      throw new IllegalArgumentException("windowMs must be >= 1 but was " + windowMs);
    }
  }
}
