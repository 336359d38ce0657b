package dev.tasker.orchestrator.internal.state;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Appends state transitions of tasks, steps and batches: one statement per call however many rows,
 * each row taking the next sort key of its entity. Transitions are history and never updated; the
 * current state is the entity's own row (a batch's is set here too). Callers check the transition
 * is allowed (the state enums' {@code requireTransitionTo}), guard the state change itself with the
 * expected current state in SQL, and change (so lock) a task or step before recording its
 * transition. A call may hold at most one change per entity.
 */
public final class TransitionWriter {

  /** One transition to record. */
  public record Change(UUID id, String toState, String metadataJson, String eventName) {
    /** A transition without metadata. */
    public static Change to(UUID id, String toState) {
      return new Change(id, toState, null, null);
    }
  }

  private TransitionWriter() {}

  /** Records task transitions. */
  public static void tasks(Connection connection, List<Change> changes) throws SQLException {
    write(connection, "task_transitions.sql", changes, false);
  }

  /** Records step transitions. */
  public static void steps(Connection connection, List<Change> changes) throws SQLException {
    write(connection, "step_transitions.sql", changes, false);
  }

  /** Records batch transitions (with event names). */
  public static void batches(Connection connection, List<Change> changes) throws SQLException {
    write(connection, "batch_transitions.sql", changes, true);
  }

  private static void write(Connection connection, String sqlFile, List<Change> changes, boolean withEvent)
      throws SQLException {
    if (changes.isEmpty()) {
      return;
    }
    List<UUID> ids = new ArrayList<>(changes.size());
    List<String> states = new ArrayList<>(changes.size());
    List<String> metadata = new ArrayList<>(changes.size());
    List<String> events = new ArrayList<>(changes.size());
    for (Change change : changes) {
      ids.add(change.id());
      states.add(change.toState());
      metadata.add(change.metadataJson());
      events.add(change.eventName());
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TransitionWriter.class, sqlFile))) {
      statement.setArray(1, SqlArrays.uuids(connection, ids));
      statement.setArray(2, SqlArrays.texts(connection, states));
      statement.setArray(3, SqlArrays.texts(connection, metadata));
      if (withEvent) {
        statement.setArray(4, SqlArrays.texts(connection, events));
      }
      statement.executeUpdate();
    }
  }
}
