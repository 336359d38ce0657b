package dev.tasker.orchestrator.internal.creation;

import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.InvalidTaskContextException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Creates tasks, their steps, their dependency edges and their first transitions, set-based: one
 * statement for up to {@value #TASKS_PER_STATEMENT} tasks, idempotently on each task's identity
 * hash, and wakes the orchestrators on commit. Thread-safe.
 */
public final class TaskInitializer {

  /** Tasks written by one statement; a longer list takes several, in the same transaction. */
  static final int TASKS_PER_STATEMENT = 1000;

  private final DataSource dataSource;
  private final TemplateStore templates;
  private final ContextValidator validator = new ContextValidator();
  private final Map<String, StepLayout> layouts = new ConcurrentHashMap<>();
  private final Runnable created;

  /** @param created run after a commit that created tasks */
  public TaskInitializer(DataSource dataSource, TemplateStore templates, Runnable created) {
    this.dataSource = dataSource;
    this.templates = templates;
    this.created = created;
  }

  /** A request checked and ready to write. */
  private record Checked(TaskRequest request, TaskTemplate template, StepLayout layout, String identity) {}

  /**
   * Creates the tasks, or returns the identical ones that exist, in one transaction.
   *
   * @return one entry per request, in order; a request repeating an earlier one of the list gets
   *     the same task, with {@code created} false
   * @throws dev.tasker.orchestrator.UnknownTemplateException for an unknown template
   * @throws InvalidTaskContextException when a context violates its template's input_schema (the
   *     message names the request's position in the list); nothing is stored
   */
  public List<CreatedTask> initialize(List<TaskRequest> requests) {
    List<Checked> checked = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      TaskRequest request = requests.get(i);
      TaskTemplate template = templates.find(request.namespace(), request.name(), request.version());
      try {
        validator.validate(template, request.context());
      } catch (InvalidTaskContextException e) {
        throw requests.size() == 1 ? e
            : new InvalidTaskContextException(template.fullName() + " (request " + i + " of the list)", e.violations());
      }
      StepLayout layout = layouts.computeIfAbsent(template.fullName(), n -> StepLayout.of(template));
      checked.add(new Checked(request, template, layout, IdentityHash.of(template, request)));
    }
    if (checked.isEmpty()) {
      return List.of();
    }
    List<CreatedTask> results = Transactions.inTransaction(
        dataSource,
        checked.size() == 1 ? "creating a task of " + checked.get(0).template().fullName()
            : "creating " + checked.size() + " tasks",
        connection -> create(connection, checked));
    if (results.stream().anyMatch(CreatedTask::created)) {
      created.run();
    }
    return results;
  }

  private List<CreatedTask> create(Connection connection, List<Checked> checked) throws SQLException {
    CreatedTask[] results = new CreatedTask[checked.size()];
    Map<String, Integer> firstByIdentity = new HashMap<>();
    List<Integer> toWrite = new ArrayList<>();
    for (int i = 0; i < checked.size(); i++) {
      if (firstByIdentity.putIfAbsent(checked.get(i).identity(), i) == null) {
        toWrite.add(i);
      }
    }
    for (int from = 0; from < toWrite.size(); from += TASKS_PER_STATEMENT) {
      List<Integer> chunk = toWrite.subList(from, Math.min(toWrite.size(), from + TASKS_PER_STATEMENT));
      write(connection, checked, chunk, results);
    }
    List<String> existing = new ArrayList<>();
    for (int i : toWrite) {
      if (results[i] == null) {
        existing.add(checked.get(i).identity());
      }
    }
    if (!existing.isEmpty()) {
      findExisting(connection, existing, checked, firstByIdentity, results);
    }
    for (int i = 0; i < checked.size(); i++) {
      if (results[i] == null) {
        CreatedTask first = results[firstByIdentity.get(checked.get(i).identity())];
        results[i] = new CreatedTask(first.taskId(), false, first.stepCount(), first.template());
      }
    }
    return Arrays.asList(results);
  }

  /** Writes the tasks at {@code indexes}; fills in {@code results} for those created. */
  private void write(Connection connection, List<Checked> checked, List<Integer> indexes, CreatedTask[] results)
      throws SQLException {
    TaskColumns tasks = new TaskColumns(indexes.size());
    StepColumns steps = new StepColumns();
    Map<UUID, Integer> indexByTask = new HashMap<>();
    for (int i : indexes) {
      Checked c = checked.get(i);
      UUID taskId = Ids.newId();
      indexByTask.put(taskId, i);
      tasks.add(taskId, templates.namedTaskId(connection, c.template()), c.request(), c.identity(), c.layout());
      steps.add(taskId, c.layout());
    }
    Set<UUID> created = new HashSet<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "create_tasks.sql"))) {
      int p = tasks.bind(statement, connection, 1);
      steps.bind(statement, connection, p);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          created.add(rs.getObject(1, UUID.class));
        }
      }
    }
    for (UUID taskId : created) {
      Checked c = checked.get(indexByTask.get(taskId));
      results[indexByTask.get(taskId)] = new CreatedTask(taskId, true, c.layout().steps().size(), c.template().fullName());
    }
  }

  private static void findExisting(Connection connection, List<String> identities, List<Checked> checked,
      Map<String, Integer> firstByIdentity, CreatedTask[] results) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskInitializer.class, "find_tasks_by_identity.sql"))) {
      statement.setArray(1, SqlArrays.texts(connection, identities));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          int i = firstByIdentity.get(rs.getString(1));
          results[i] = new CreatedTask(rs.getObject(2, UUID.class), false, rs.getInt(3),
              checked.get(i).template().fullName());
        }
      }
    }
  }

  /** The task columns of one statement. */
  private static final class TaskColumns {
    final List<UUID> ids;
    final List<UUID> namedTasks;
    final List<String> contexts;
    final List<String> identities;
    final List<Integer> priorities;
    final List<String> initiators;
    final List<String> sources;
    final List<String> reasons;
    final List<Integer> totals;
    final List<Integer> active;

    TaskColumns(int size) {
      ids = new ArrayList<>(size);
      namedTasks = new ArrayList<>(size);
      contexts = new ArrayList<>(size);
      identities = new ArrayList<>(size);
      priorities = new ArrayList<>(size);
      initiators = new ArrayList<>(size);
      sources = new ArrayList<>(size);
      reasons = new ArrayList<>(size);
      totals = new ArrayList<>(size);
      active = new ArrayList<>(size);
    }

    void add(UUID taskId, UUID namedTaskId, TaskRequest request, String identity, StepLayout layout) {
      ids.add(taskId);
      namedTasks.add(namedTaskId);
      contexts.add(request.context().toString());
      identities.add(identity);
      priorities.add(request.priority());
      initiators.add(request.initiator());
      sources.add(request.sourceSystem());
      reasons.add(request.reason());
      totals.add(layout.steps().size());
      active.add(layout.roots());
    }

    int bind(PreparedStatement statement, Connection connection, int first) throws SQLException {
      int p = first;
      statement.setArray(p++, SqlArrays.uuids(connection, ids));
      statement.setArray(p++, SqlArrays.uuids(connection, namedTasks));
      statement.setArray(p++, SqlArrays.texts(connection, contexts));
      statement.setArray(p++, SqlArrays.texts(connection, identities));
      statement.setArray(p++, SqlArrays.ints(connection, priorities));
      statement.setArray(p++, SqlArrays.texts(connection, initiators));
      statement.setArray(p++, SqlArrays.texts(connection, sources));
      statement.setArray(p++, SqlArrays.texts(connection, reasons));
      statement.setArray(p++, SqlArrays.ints(connection, totals));
      statement.setArray(p++, SqlArrays.ints(connection, active));
      return p;
    }
  }

  /** The step and edge columns of one statement. */
  private static final class StepColumns {
    final List<UUID> ids = new ArrayList<>();
    final List<UUID> tasks = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final List<String> handlers = new ArrayList<>();
    final List<String> configs = new ArrayList<>();
    final List<Integer> unmet = new ArrayList<>();
    final List<String> ancestors = new ArrayList<>();
    final List<Integer> maxAttempts = new ArrayList<>();
    final List<Boolean> retryable = new ArrayList<>();
    final List<Long> backoffBase = new ArrayList<>();
    final List<Long> maxBackoff = new ArrayList<>();
    final List<Long> timeouts = new ArrayList<>();
    final List<String> kinds = new ArrayList<>();
    final List<String> backoffs = new ArrayList<>();
    final List<UUID> edgeFrom = new ArrayList<>();
    final List<UUID> edgeTo = new ArrayList<>();
    final List<UUID> edgeTask = new ArrayList<>();

    void add(UUID taskId, StepLayout layout) {
      List<StepLayout.Step> steps = layout.steps();
      UUID[] stepIds = new UUID[steps.size()];
      for (int s = 0; s < stepIds.length; s++) {
        stepIds[s] = Ids.newId();
      }
      for (int s = 0; s < stepIds.length; s++) {
        StepLayout.Step step = steps.get(s);
        ids.add(stepIds[s]);
        tasks.add(taskId);
        names.add(step.name());
        handlers.add(step.handler());
        configs.add(step.handlerConfigJson());
        unmet.add(step.unmetDependencies());
        StringBuilder joined = new StringBuilder();
        for (int a : step.ancestors()) {
          joined.append(joined.length() == 0 ? "" : ",").append(stepIds[a]);
        }
        ancestors.add(joined.toString());
        maxAttempts.add(step.maxAttempts());
        retryable.add(step.retryable());
        backoffBase.add(step.backoffBaseMs());
        maxBackoff.add(step.maxBackoffMs());
        timeouts.add(step.timeoutMs());
        kinds.add(step.kind());
        backoffs.add(step.backoff());
      }
      for (int e = 0; e < layout.edgeCount(); e++) {
        edgeFrom.add(stepIds[layout.edgeFrom(e)]);
        edgeTo.add(stepIds[layout.edgeTo(e)]);
        edgeTask.add(taskId);
      }
    }

    void bind(PreparedStatement statement, Connection connection, int first) throws SQLException {
      int p = first;
      statement.setArray(p++, SqlArrays.uuids(connection, ids));
      statement.setArray(p++, SqlArrays.uuids(connection, tasks));
      statement.setArray(p++, SqlArrays.texts(connection, names));
      statement.setArray(p++, SqlArrays.texts(connection, handlers));
      statement.setArray(p++, SqlArrays.texts(connection, configs));
      statement.setArray(p++, SqlArrays.ints(connection, unmet));
      statement.setArray(p++, SqlArrays.texts(connection, ancestors));
      statement.setArray(p++, SqlArrays.ints(connection, maxAttempts));
      statement.setArray(p++, SqlArrays.booleans(connection, retryable));
      statement.setArray(p++, SqlArrays.longs(connection, backoffBase));
      statement.setArray(p++, SqlArrays.longs(connection, maxBackoff));
      statement.setArray(p++, SqlArrays.longs(connection, timeouts));
      statement.setArray(p++, SqlArrays.texts(connection, kinds));
      statement.setArray(p++, SqlArrays.texts(connection, backoffs));
      statement.setArray(p++, SqlArrays.uuids(connection, edgeFrom));
      statement.setArray(p++, SqlArrays.uuids(connection, edgeTo));
      statement.setArray(p, SqlArrays.uuids(connection, edgeTask));
    }
  }
}
