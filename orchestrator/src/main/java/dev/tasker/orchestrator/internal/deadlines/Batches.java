package dev.tasker.orchestrator.internal.deadlines;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Batch bookkeeping shared by the sweeper and the worker lifecycle: a batch that will get no
 * completion leaves the deadline watch.
 */
public final class Batches {

  private Batches() {}

  /**
   * Stops watching batches that will get no completion.
   *
   * @param discrepancy whether to mark them as discrepancies (a timed-out batch) rather than leave
   *     them unreconciled (a batch whose worker was lost may still send its completion)
   */
  public static void close(Connection connection, Collection<UUID> batchIds, boolean discrepancy) throws SQLException {
    if (batchIds.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(Batches.class, "close_batches.sql"))) {
      statement.setBoolean(1, discrepancy);
      statement.setArray(2, SqlArrays.uuids(connection, batchIds));
      statement.executeUpdate();
    }
  }
}
