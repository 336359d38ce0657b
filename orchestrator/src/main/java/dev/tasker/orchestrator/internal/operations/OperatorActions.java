package dev.tasker.orchestrator.internal.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.DeadLetter;
import dev.tasker.orchestrator.InvalidOperationException;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.progress.TaskProgress;
import dev.tasker.orchestrator.internal.readiness.StepGraph;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What an operator can do about stuck or failed work: retry a failed step with fresh attempts,
 * resolve a step by supplying its output, cancel a task. Each action is one transaction that locks
 * the step (or task) first, checks its state, records every transition and closes the step's
 * dead letter, and wakes the orchestrator. Thread-safe.
 */
public final class OperatorActions {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DataSource dataSource;

  public OperatorActions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** See {@code TaskerClient#retryStep}. */
  public void retryStep(UUID stepId, String operator) {
    Transactions.inTransaction(dataSource, "retrying step " + stepId, connection -> {
      LockedStep step = lockStep(connection, stepId);
      if (step.state() != StepState.ERROR) {
        throw new InvalidOperationException("step " + step.name() + " (" + stepId + ") is " + step.state().dbName()
            + "; only a step in error can be retried");
      }
      StepState.ERROR.requireTransitionTo(StepState.PENDING);
      update(connection, "retry_step.sql", stepId);
      TransitionWriter.steps(connection, List.of(change(stepId, StepState.PENDING, "retried", operator)));
      closeDeadLetters(connection, List.of(stepId), "retried");
      reopenTask(connection, step.taskId(), operator);
      TaskProgress.recount(connection, List.of(step.taskId()));
      notifyOrchestrator(connection);
      return null;
    });
  }

  /** See {@code TaskerClient#resolveStep}. */
  public void resolveStep(UUID stepId, JsonNode output, String operator) {
    Transactions.inTransaction(dataSource, "resolving step " + stepId, connection -> {
      LockedStep step = lockStep(connection, stepId);
      if (!step.state().canTransitionTo(StepState.RESOLVED_MANUALLY)) {
        throw new InvalidOperationException("step " + step.name() + " (" + stepId + ") is " + step.state().dbName()
            + "; only a pending, waiting or failed step can be resolved (cancel the task, or wait, for a running one)");
      }
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "resolve_step.sql"))) {
        statement.setString(1, output == null ? "null" : output.toString());
        statement.setObject(2, stepId);
        statement.executeUpdate();
      }
      TransitionWriter.steps(connection, List.of(change(stepId, StepState.RESOLVED_MANUALLY, "resolved", operator)));
      closeDeadLetters(connection, List.of(stepId), "resolved_manually");
      StepGraph.releaseChildren(connection, List.of(stepId));
      reopenTask(connection, step.taskId(), operator);
      TaskProgress.recount(connection, List.of(step.taskId()));
      notifyOrchestrator(connection);
      return null;
    });
  }

  /** See {@code TaskerClient#cancelTask}. */
  public void cancelTask(UUID taskId, String operator) {
    Transactions.inTransaction(dataSource, "cancelling task " + taskId, connection -> {
      TaskState state;
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "lock_task.sql"))) {
        statement.setObject(1, taskId);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            throw InvalidOperationException.noSuch("task " + taskId);
          }
          state = TaskState.fromDbName(rs.getString(1));
        }
      }
      if (!state.canTransitionTo(TaskState.CANCELLED)) {
        throw new InvalidOperationException("task " + taskId + " is " + state.dbName() + " and cannot be cancelled");
      }
      List<UUID> cancelled = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "cancel_steps.sql"))) {
        statement.setObject(1, taskId);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            cancelled.add(rs.getObject(1, UUID.class));
          }
        }
      }
      List<TransitionWriter.Change> changes = new ArrayList<>();
      for (UUID stepId : cancelled) {
        changes.add(change(stepId, StepState.CANCELLED, "cancelled", operator));
      }
      TransitionWriter.steps(connection, changes);
      closeDeadLetters(connection, cancelled, "cancelled");
      update(connection, "cancel_task.sql", taskId);
      TaskProgress.recount(connection, List.of(taskId));
      TransitionWriter.tasks(connection, List.of(new TransitionWriter.Change(taskId, TaskState.CANCELLED.dbName(),
          metadata("cancelled", operator), null)));
      return null;
    });
  }

  /** Dead letters, oldest first. */
  public List<DeadLetter> deadLetters(boolean openOnly, int limit) {
    return Transactions.inTransaction(dataSource, "reading dead letters", connection -> {
      List<DeadLetter> letters = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "dead_letters.sql"))) {
        statement.setBoolean(1, openOnly);
        statement.setInt(2, limit);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            letters.add(new DeadLetter(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getInt(6), json(rs.getString(7)), instant(rs.getTimestamp(8)),
                instant(rs.getTimestamp(9)), rs.getString(10)));
          }
        }
      }
      return letters;
    });
  }

  private record LockedStep(UUID stepId, UUID taskId, String name, StepState state) {}

  private static LockedStep lockStep(Connection connection, UUID stepId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "lock_step.sql"))) {
      statement.setObject(1, stepId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw InvalidOperationException.noSuch("step " + stepId);
        }
        return new LockedStep(stepId, rs.getObject(2, UUID.class), rs.getString(3), StepState.fromDbName(rs.getString(4)));
      }
    }
  }

  private static void reopenTask(Connection connection, UUID taskId, String operator) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "reopen_task.sql"))) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        if (rs.next()) {
          TaskState.ERROR.requireTransitionTo(TaskState.IN_PROGRESS);
          TransitionWriter.tasks(connection, List.of(new TransitionWriter.Change(taskId,
              TaskState.IN_PROGRESS.dbName(), metadata("reopened", operator), null)));
        }
      }
    }
  }

  private static void closeDeadLetters(Connection connection, List<UUID> stepIds, String resolution) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "close_dead_letters.sql"))) {
      statement.setString(1, resolution);
      statement.setArray(2, SqlArrays.uuids(connection, stepIds));
      statement.executeUpdate();
    }
  }

  private static void update(Connection connection, String sqlFile, UUID id) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, sqlFile))) {
      statement.setObject(1, id);
      statement.executeUpdate();
    }
  }

  private static void notifyOrchestrator(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OperatorActions.class, "notify_ready.sql"))) {
      statement.execute();
    }
  }

  private static TransitionWriter.Change change(UUID stepId, StepState target, String action, String operator) {
    return new TransitionWriter.Change(stepId, target.dbName(), metadata(action, operator), null);
  }

  private static String metadata(String action, String operator) {
    return MAPPER.createObjectNode().put("operator_action", action).put("operator", operator).toString();
  }

  private static java.time.Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static JsonNode json(String text) {
    try {
      return text == null ? null : MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }
}
