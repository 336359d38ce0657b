package dev.tasker.orchestrator.internal.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the other orchestrators on the database when this one knows of ready steps it has no
 * credit for: a NOTIFY on {@value ReadyListener#CHANNEL} with this orchestrator's id as payload
 * (its own listener ignores it). Without it, the others would find those steps only at their next
 * sweep, while their workers' credit sits unused. At most one NOTIFY per {@link #MIN_GAP_MS}; one
 * asked for in between is sent when the gap has passed. Only when another orchestrator is alive.
 * The dispatcher's thread only.
 */
public final class PeerNotifier {

  /** Least time between two notifications, in milliseconds. */
  public static final long MIN_GAP_MS = 20;

  private static final Logger log = LoggerFactory.getLogger(PeerNotifier.class);

  private final DataSource dataSource;
  private final String orchestratorId;
  private final BooleanSupplier othersAlive;
  private long lastSentNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MS);
  private boolean pending;

  /** @param othersAlive whether another orchestrator is alive (as of the last registry heartbeat) */
  public PeerNotifier(DataSource dataSource, String orchestratorId, BooleanSupplier othersAlive) {
    this.dataSource = dataSource;
    this.orchestratorId = orchestratorId;
    this.othersAlive = othersAlive;
  }

  /** Whether another orchestrator is alive, as of this one's last registry heartbeat. */
  public boolean othersAlive() {
    return othersAlive.getAsBoolean();
  }

  /** Ready steps were left for lack of credit here; the others should look. */
  public void stepsLeftBehind() {
    pending = true;
  }

  /**
   * Sends the notification if one is pending and the gap has passed.
   *
   * @return milliseconds until it should be called again, or {@code Long.MAX_VALUE} when nothing is pending
   */
  public long flush() {
    if (!pending) {
      return Long.MAX_VALUE;
    }
    if (!othersAlive.getAsBoolean()) {
      pending = false;
      return Long.MAX_VALUE;
    }
    long sinceLast = System.nanoTime() - lastSentNanos;
    long gap = TimeUnit.MILLISECONDS.toNanos(MIN_GAP_MS);
    if (sinceLast < gap) {
      return Math.max(1, TimeUnit.NANOSECONDS.toMillis(gap - sinceLast));
    }
    pending = false;
    lastSentNanos = System.nanoTime();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      connection.setAutoCommit(true);
      statement.setString(1, ReadyListener.CHANNEL);
      statement.setString(2, orchestratorId);
      statement.execute();
    } catch (SQLException e) {
      log.debug("could not notify the other orchestrators ({}); they find the steps at their next sweep", e.getMessage());
    }
    return Long.MAX_VALUE;
  }
}
