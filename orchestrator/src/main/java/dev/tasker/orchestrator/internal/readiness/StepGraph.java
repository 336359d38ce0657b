package dev.tasker.orchestrator.internal.readiness;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * Satisfies children's dependencies when a step is done outside the result path (an operator
 * resolving it); the applier does the same for the steps it completes, in its own statement.
 */
public final class StepGraph {

  private StepGraph() {}

  /**
   * Decrements the {@code unmet_dependencies} of every child of {@code satisfied} (steps that just
   * completed or were resolved manually), in the caller's transaction.
   *
   * @return whether a child became ready
   */
  public static boolean releaseChildren(Connection connection, Collection<UUID> satisfied) throws SQLException {
    if (satisfied.isEmpty()) {
      return false;
    }
    boolean ready = false;
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(StepGraph.class, "release_children.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, satisfied));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ready |= rs.getInt(2) == 0;
        }
      }
    }
    return ready;
  }
}
