package dev.tasker.orchestrator.internal.progress;

import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.KeyedJson;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Each task's progress counters (steps that can still progress, steps done) and its finish: a task
 * whose active steps reach 0 becomes complete when every step is done, else error, in the
 * transaction that changed its last step. Statements that change steps report what they changed
 * here ({@link #record}); rare changes that are easier to count than to reason about recount
 * ({@link #recount}). Thread-safe (stateless).
 */
public final class TaskProgress {

  /** A change to one task's counters. */
  public record Change(int active, int done) {
    Change plus(Change other) {
      return new Change(active + other.active, done + other.done);
    }
  }

  /** A step that failed for good: no longer active. */
  public static final Change STEP_FAILED = new Change(-1, 0);

  /** A task finished by a change. */
  public record Finished(UUID taskId, TaskState state) {}

  /** Changes to several tasks' counters, gathered before they are recorded. Not thread-safe. */
  public static final class Changes {
    private final Map<UUID, Change> byTask = new LinkedHashMap<>();

    /** Adds {@code change} to {@code taskId}'s. */
    public void add(UUID taskId, Change change) {
      byTask.merge(taskId, change, Change::plus);
    }

    /** Whether nothing was added. */
    public boolean isEmpty() {
      return byTask.isEmpty();
    }
  }

  private TaskProgress() {}

  /**
   * Records the changes and finishes the tasks they leave without active steps, with their
   * transitions, in the caller's transaction.
   *
   * @return the tasks finished
   */
  public static List<Finished> record(Connection connection, Changes changes) throws SQLException {
    if (changes.isEmpty()) {
      return List.of();
    }
    TaskState.IN_PROGRESS.requireTransitionTo(TaskState.COMPLETE);
    TaskState.IN_PROGRESS.requireTransitionTo(TaskState.ERROR);
    TaskState.PENDING.requireTransitionTo(TaskState.COMPLETE);
    TaskState.PENDING.requireTransitionTo(TaskState.ERROR);
    Map<UUID, String> byTask = new LinkedHashMap<>();
    changes.byTask.forEach((taskId, change) -> byTask.put(taskId, "[" + change.active() + "," + change.done() + "]"));
    List<Finished> finished = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskProgress.class, "record_progress.sql"))) {
      statement.setObject(1, KeyedJson.ofJson(byTask));
      statement.setArray(2, SqlArrays.uuids(connection, byTask.keySet()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          finished.add(new Finished(rs.getObject(1, UUID.class), TaskState.fromDbName(rs.getString(3))));
        }
      }
    }
    return finished;
  }

  /**
   * Locks the tasks, counts their steps afresh and records the difference: for operator actions
   * and other changes that are rare enough to count rather than track.
   *
   * @return the tasks finished
   */
  public static List<Finished> recount(Connection connection, Collection<UUID> taskIds) throws SQLException {
    if (taskIds.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskProgress.class, "lock_tasks.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, taskIds));
      statement.executeQuery().close();
    }
    Changes changes = new Changes();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskProgress.class, "count_changes.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, taskIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          changes.add(rs.getObject(1, UUID.class), new Change(rs.getInt(2), rs.getInt(3)));
        }
      }
    }
    return record(connection, changes);
  }
}
