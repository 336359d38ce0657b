package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/** Batch bookkeeping shared by the applier and the sweeper. */
final class Batches {

  private Batches() {}

  /**
   * Stops watching batches that will get no completion.
   *
   * @param discrepancy whether to mark them as discrepancies (a timed-out batch) rather than leave
   *     them unreconciled (a batch whose worker was lost may still send its completion)
   */
  static void close(Connection connection, Collection<UUID> batchIds, boolean discrepancy) throws SQLException {
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
