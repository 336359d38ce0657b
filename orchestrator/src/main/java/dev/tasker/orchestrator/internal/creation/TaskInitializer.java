package dev.tasker.orchestrator.internal.creation;

import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.template.ContextValidator;
import dev.tasker.protocol.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Creates a task, its steps, their dependency edges and their first transitions in one statement,
 * idempotently on the task's identity hash, and wakes the dispatcher on commit.
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
    Map<String, UUID> stepIds = new HashMap<>();
    for (StepTemplate step : template.steps()) {
      stepIds.put(step.name(), Ids.newId());
    }
    List<UUID> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> handlers = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    List<Integer> unmet = new ArrayList<>();
    List<String> ancestors = new ArrayList<>();
    List<Integer> maxAttempts = new ArrayList<>();
    List<Boolean> retryable = new ArrayList<>();
    List<Long> base = new ArrayList<>();
    List<Long> maxBackoff = new ArrayList<>();
    List<Long> timeouts = new ArrayList<>();
    List<UUID> edgeFrom = new ArrayList<>();
    List<UUID> edgeTo = new ArrayList<>();
    for (StepTemplate step : template.steps()) {
      ids.add(stepIds.get(step.name()));
      names.add(step.name());
      handlers.add(step.handler());
      configs.add(step.handlerConfig().toString());
      unmet.add(step.dependencies().size());
      ancestors.add(String.join(",", ancestorIds(template, step, stepIds)));
      maxAttempts.add(step.retry().effectiveMaxAttempts());
      retryable.add(step.retry().retryable());
      base.add(step.retry().backoffBaseMs());
      maxBackoff.add(step.retry().maxBackoffMs());
      timeouts.add(step.timeout().toMillis());
      for (String dependency : step.dependencies()) {
        edgeFrom.add(stepIds.get(dependency));
        edgeTo.add(stepIds.get(step.name()));
      }
    }
    UUID taskId = Ids.newId();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "create_task.sql"))) {
      int i = 1;
      statement.setObject(i++, taskId);
      statement.setObject(i++, namedTaskId);
      statement.setString(i++, request.context().toString());
      statement.setString(i++, identity);
      statement.setInt(i++, request.priority());
      statement.setString(i++, request.initiator());
      statement.setString(i++, request.sourceSystem());
      statement.setString(i++, request.reason());
      statement.setArray(i++, SqlArrays.uuids(connection, ids));
      statement.setArray(i++, SqlArrays.texts(connection, names));
      statement.setArray(i++, SqlArrays.texts(connection, handlers));
      statement.setArray(i++, SqlArrays.texts(connection, configs));
      statement.setArray(i++, SqlArrays.ints(connection, unmet));
      statement.setArray(i++, SqlArrays.texts(connection, ancestors));
      statement.setArray(i++, SqlArrays.ints(connection, maxAttempts));
      statement.setArray(i++, SqlArrays.booleans(connection, retryable));
      statement.setArray(i++, SqlArrays.longs(connection, base));
      statement.setArray(i++, SqlArrays.longs(connection, maxBackoff));
      statement.setArray(i++, SqlArrays.longs(connection, timeouts));
      statement.setArray(i++, SqlArrays.uuids(connection, edgeFrom));
      statement.setArray(i, SqlArrays.uuids(connection, edgeTo));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (rs.getObject(1, UUID.class) == null) {
          return existing(connection, identity, template);
        }
      }
    }
    return new CreatedTask(taskId, true, template.steps().size(), template.fullName());
  }

  /** The ids of every step {@code step} depends on, directly or transitively. */
  private static List<String> ancestorIds(TaskTemplate template, StepTemplate step, Map<String, UUID> stepIds) {
    Set<String> names = new TreeSet<>();
    Deque<String> toVisit = new ArrayDeque<>(step.dependencies());
    while (!toVisit.isEmpty()) {
      String name = toVisit.pop();
      if (names.add(name)) {
        toVisit.addAll(template.step(name).orElseThrow().dependencies());
      }
    }
    return names.stream().map(name -> stepIds.get(name).toString()).toList();
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
}
