package dev.tasker.orchestrator.internal.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Maintenance jobs that one orchestrator at a time should run. Each is guarded by a transaction-
 * level advisory lock taken with {@code pg_try_advisory_xact_lock}: whoever gets it runs the job in
 * that transaction, the others skip this pass. Nothing to renew or release: the lock ends with the
 * transaction, also when its orchestrator dies. The jobs stay correct without the lock (they lock
 * the rows they change and check their state again); the lock only saves the duplicated work.
 */
public enum MaintenanceLock {
  /** Failing attempts past their deadline. */
  EXPIRE_ATTEMPTS(1),
  /** Closing batches past their deadline without a completion. */
  EXPIRE_BATCHES(2),
  /** Requeueing what orchestrators that are gone left with workers that are gone. */
  TAKE_OVER(3),
  /** Deleting finished tasks past the retention. */
  RETENTION(4);

  /** The first key of the two-key advisory lock space: "Tskr". */
  private static final int NAMESPACE = 0x54736b72;

  private final int key;

  MaintenanceLock(int key) {
    this.key = key;
  }

  /** Tries to take this lock for the connection's current transaction; {@code false} when taken. */
  public boolean tryTake(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?, ?)")) {
      statement.setInt(1, NAMESPACE);
      statement.setInt(2, key);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
