package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Moves tasks that can no longer make progress to complete or error, in the caller's transaction
 * (the one that changed their steps), so the decision and the step change commit together.
 */
public final class TaskFinalizer {

  private TaskFinalizer() {}

  /** @return how many tasks were finished */
  public static int finalize(Connection connection, Collection<UUID> taskIds) throws SQLException {
    if (taskIds.isEmpty()) {
      return 0;
    }
    List<TransitionWriter.Change> changes = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskFinalizer.class, "finalize_tasks.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, taskIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          TaskState target = TaskState.fromDbName(rs.getString(2));
          changes.add(TransitionWriter.Change.to(rs.getObject(1, UUID.class), target.dbName()));
        }
      }
    }
    TransitionWriter.tasks(connection, changes);
    return changes.size();
  }
}
