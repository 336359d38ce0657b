package dev.tasker.orchestrator.internal.creation;

import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.template.ContextValidator;
import dev.tasker.protocol.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Creates a task, its steps, their dependency edges and their first transitions in one
 * transaction, idempotently on the task's identity hash, and wakes the dispatcher on commit.
 * Thread-safe.
 */
public final class TaskInitializer {

  private final DataSource dataSource;
  private final TemplateStore templates;
  private final ContextValidator validator = new ContextValidator();

  public TaskInitializer(DataSource dataSource, TemplateStore templates) {
    this.dataSource = dataSource;
    this.templates = templates;
  }

  /**
   * Creates the task, or returns the identical one that exists.
   *
   * @throws dev.tasker.orchestrator.UnknownTemplateException for an unknown template
   * @throws dev.tasker.orchestrator.InvalidTaskContextException when the context violates the
   *     template's input_schema; nothing is stored
   */
  public CreatedTask initialize(TaskRequest request) {
    TaskTemplate template = templates.find(request.namespace(), request.name(), request.version());
    validator.validate(template, request.context());
    String identity = IdentityHash.of(template, request);
    return Transactions.inTransaction(
        dataSource,
        "creating a task of " + template.fullName(),
        connection -> create(connection, template, request, identity));
  }

  private CreatedTask create(Connection connection, TaskTemplate template, TaskRequest request, String identity)
      throws SQLException {
    UUID namedTaskId = templates.namedTaskId(connection, template);
    UUID taskId = Ids.newId();
    if (!insertTask(connection, taskId, namedTaskId, request, identity)) {
      return existing(connection, identity, template);
    }
    Map<String, UUID> stepIds = new HashMap<>();
    for (StepTemplate step : template.steps()) {
      stepIds.put(step.name(), Ids.newId());
    }
    insertSteps(connection, taskId, request.priority(), template, stepIds);
    insertEdges(connection, taskId, template, stepIds);
    TransitionWriter.tasks(connection, List.of(TransitionWriter.Change.to(taskId, TaskState.PENDING.dbName())));
    List<TransitionWriter.Change> stepTransitions = new ArrayList<>();
    for (UUID stepId : stepIds.values()) {
      stepTransitions.add(TransitionWriter.Change.to(stepId, StepState.PENDING.dbName()));
    }
    TransitionWriter.steps(connection, stepTransitions);
    try (PreparedStatement notify =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "notify_ready.sql"))) {
      notify.execute();
    }
    return new CreatedTask(taskId, true, template.steps().size(), template.fullName());
  }

  private static boolean insertTask(
      Connection connection, UUID taskId, UUID namedTaskId, TaskRequest request, String identity)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "insert_task.sql"))) {
      statement.setObject(1, taskId);
      statement.setObject(2, namedTaskId);
      statement.setString(3, request.context().toString());
      statement.setString(4, identity);
      statement.setInt(5, request.priority());
      statement.setString(6, request.initiator());
      statement.setString(7, request.sourceSystem());
      statement.setString(8, request.reason());
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static CreatedTask existing(Connection connection, String identity, TaskTemplate template)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "find_task_by_identity.sql"))) {
      statement.setString(1, identity);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new CreatedTask(rs.getObject(1, UUID.class), false, rs.getInt(2), template.fullName());
      }
    }
  }

  private static void insertSteps(
      Connection connection, UUID taskId, int priority, TaskTemplate template, Map<String, UUID> stepIds)
      throws SQLException {
    List<UUID> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> handlers = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    List<Integer> unmet = new ArrayList<>();
    List<Integer> maxAttempts = new ArrayList<>();
    List<Boolean> retryable = new ArrayList<>();
    List<Long> base = new ArrayList<>();
    List<Long> maxBackoff = new ArrayList<>();
    List<Long> timeouts = new ArrayList<>();
    for (StepTemplate step : template.steps()) {
      ids.add(stepIds.get(step.name()));
      names.add(step.name());
      handlers.add(step.handler());
      configs.add(step.handlerConfig().toString());
      unmet.add(step.dependencies().size());
      maxAttempts.add(step.retry().effectiveMaxAttempts());
      retryable.add(step.retry().retryable());
      base.add(step.retry().backoffBaseMs());
      maxBackoff.add(step.retry().maxBackoffMs());
      timeouts.add(step.timeout().toMillis());
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "insert_steps.sql"))) {
      statement.setObject(1, taskId);
      statement.setInt(2, priority);
      statement.setArray(3, SqlArrays.uuids(connection, ids));
      statement.setArray(4, SqlArrays.texts(connection, names));
      statement.setArray(5, SqlArrays.texts(connection, handlers));
      statement.setArray(6, SqlArrays.texts(connection, configs));
      statement.setArray(7, SqlArrays.ints(connection, unmet));
      statement.setArray(8, SqlArrays.ints(connection, maxAttempts));
      statement.setArray(9, SqlArrays.booleans(connection, retryable));
      statement.setArray(10, SqlArrays.longs(connection, base));
      statement.setArray(11, SqlArrays.longs(connection, maxBackoff));
      statement.setArray(12, SqlArrays.longs(connection, timeouts));
      statement.executeUpdate();
    }
  }

  private static void insertEdges(
      Connection connection, UUID taskId, TaskTemplate template, Map<String, UUID> stepIds)
      throws SQLException {
    List<UUID> from = new ArrayList<>();
    List<UUID> to = new ArrayList<>();
    for (StepTemplate step : template.steps()) {
      for (String dependency : step.dependencies()) {
        from.add(stepIds.get(dependency));
        to.add(stepIds.get(step.name()));
      }
    }
    if (from.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "insert_edges.sql"))) {
      statement.setObject(1, taskId);
      statement.setArray(2, SqlArrays.uuids(connection, from));
      statement.setArray(3, SqlArrays.uuids(connection, to));
      statement.executeUpdate();
    }
  }
}
