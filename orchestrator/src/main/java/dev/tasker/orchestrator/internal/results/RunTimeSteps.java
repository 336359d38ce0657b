package dev.tasker.orchestrator.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.internal.creation.TemplateStore;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.StepRow;
import dev.tasker.protocol.Ids;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The steps a decision or batchable step creates when its result is applied, planned and written
 * in that result's transaction (before the result itself, so the new steps' dependency counters
 * are released by the same statement that completes their parent, and the task cannot finish in
 * between).
 *
 * <p>A decision creates the declared downstream steps it names; a batchable step creates one step
 * per cursor from its batch_worker template step, named {@code <template>_<batch id>}. Then every
 * template step not yet created whose dependencies now exist is created too: a standard step when
 * all of its dependencies exist (and every decision among them chose it), a deferred convergence
 * step when any does, depending on those that do (all the workers of a batch worker template; the
 * batchable step itself when its plan had no batches). The task's row is locked first, so two
 * transactions cannot plan for one task at once. One instance per transaction.
 */
final class RunTimeSteps implements ResultDecider.StepCreator {

  /** What planning needs from the orchestrator. */
  record Settings(TemplateStore templates, int maxBatchWorkersPerTask) {}

  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Connection connection;
  private final Settings settings;
  private final Map<UUID, TaskSteps> tasks = new HashMap<>();
  private final List<NewStep> pending = new ArrayList<>();

  RunTimeSteps(Connection connection, Settings settings) {
    this.connection = connection;
    this.settings = settings;
  }

  /** A step as it exists (or will, once this transaction writes it). */
  private record Existing(UUID stepId, String name, StepType kind, boolean done, List<UUID> ancestors,
      String workerTemplate) {}

  /** A step to create. */
  private record NewStep(UUID stepId, UUID taskId, int priority, StepTemplate template, String name,
      List<UUID> dependencies, int unmet, List<UUID> ancestors, JsonNode inputs, UUID createdBy) {}

  /** One task's steps, template and the choices of its completed decisions. */
  private static final class TaskSteps {
    final UUID taskId;
    final int priority;
    final TaskTemplate template;
    final Map<String, Existing> byName = new LinkedHashMap<>();
    final Map<UUID, Existing> byId = new HashMap<>();
    final Map<String, Set<String>> choices = new HashMap<>();

    TaskSteps(UUID taskId, int priority, TaskTemplate template) {
      this.taskId = taskId;
      this.priority = priority;
      this.template = template;
    }

    void add(Existing step) {
      byName.put(step.name(), step);
      byId.put(step.stepId(), step);
    }

    List<Existing> workersOf(String workerTemplate) {
      return byName.values().stream().filter(s -> workerTemplate.equals(s.workerTemplate())).toList();
    }
  }

  @Override
  public String plan(StepRow step, JsonNode output) {
    try {
      TaskSteps task = load(step.taskId());
      Existing self = task.byId.get(step.stepId());
      StepTemplate template = self == null ? null : task.template.step(self.name()).orElse(null);
      if (template == null) {
        return "step " + step.stepId() + " is not a step of template " + task.template.fullName();
      }
      Map<String, NewStep> created = new LinkedHashMap<>();
      Set<String> plannedWorkerTemplates = new HashSet<>();
      Map<String, Set<String>> choices = new HashMap<>(task.choices);
      String invalid = step.kind() == StepType.DECISION
          ? planDecision(task, self, output, created, choices)
          : planBatches(task, self, output, created, plannedWorkerTemplates);
      if (invalid != null) {
        return invalid;
      }
      close(task, created, plannedWorkerTemplates, choices, self.stepId());
      task.choices.putAll(choices);
      for (NewStep s : created.values()) {
        task.add(new Existing(s.stepId(), s.name(), s.template().type(), false, s.ancestors(),
            s.template().type() == StepType.BATCH_WORKER ? s.template().name() : null));
        pending.add(s);
      }
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("planning the steps of task " + step.taskId() + " failed: " + e.getMessage(), e);
    }
  }

  private String planDecision(TaskSteps task, Existing self, JsonNode output, Map<String, NewStep> created,
      Map<String, Set<String>> choices) {
    String shape = "a decision step's output must hold decision_point_outcome: {\"type\": \"create_steps\","
        + " \"step_names\": [...]} or {\"type\": \"no_branches\"}";
    JsonNode outcome = output.path("decision_point_outcome");
    String type = outcome.path("type").asText("");
    List<String> declared = task.template.steps().stream()
        .filter(s -> s.dependencies().contains(self.name())).map(StepTemplate::name).toList();
    Set<String> chosen = new LinkedHashSet<>();
    if (type.equals("create_steps")) {
      JsonNode names = outcome.path("step_names");
      if (!names.isArray()) {
        return shape + "; step_names is missing or not a list";
      }
      for (JsonNode name : names) {
        if (!name.isTextual()) {
          return "decision_point_outcome.step_names must be step names (strings), not " + name;
        }
        if (!declared.contains(name.asText())) {
          return "the decision chose '" + name.asText() + "', which is not one of the declared downstream steps of '"
              + self.name() + "' " + declared;
        }
        if (!chosen.add(name.asText())) {
          return "the decision chose '" + name.asText() + "' twice";
        }
        if (task.byName.containsKey(name.asText())) {
          return "the decision chose '" + name.asText() + "', which exists already";
        }
      }
    } else if (!type.equals("no_branches")) {
      return shape + (outcome.isMissingNode() ? "" : "; type was '" + outcome.path("type").asText() + "'");
    }
    choices.put(self.name(), chosen);
    for (String name : chosen) {
      StepTemplate child = task.template.step(name).orElseThrow();
      List<Object> dependencies = new ArrayList<>();
      for (String dependency : child.dependencies()) {
        if (task.byName.containsKey(dependency)) {
          dependencies.add(task.byName.get(dependency));
        } else if (created.containsKey(dependency)) {
          dependencies.add(created.get(dependency));
        }
      }
      created.put(name, newStep(task, child, name, dependencies, null, self.stepId(), created));
    }
    return null;
  }

  private String planBatches(TaskSteps task, Existing self, JsonNode output, Map<String, NewStep> created,
      Set<String> plannedWorkerTemplates) {
    String shape = "a batchable step's output must hold batch_processing_outcome: {\"type\": \"no_batches\"} or"
        + " {\"type\": \"create_batches\", \"worker_template_name\", \"worker_count\", \"cursor_configs\": [...]}";
    JsonNode outcome = output.path("batch_processing_outcome");
    String type = outcome.isTextual() ? outcome.asText() : outcome.path("type").asText("");
    List<StepTemplate> workerTemplates = task.template.steps().stream()
        .filter(s -> s.type() == StepType.BATCH_WORKER && s.dependencies().contains(self.name())).toList();
    if (type.equals("no_batches")) {
      workerTemplates.forEach(w -> plannedWorkerTemplates.add(w.name()));
      return null;
    }
    if (!type.equals("create_batches")) {
      return shape + (outcome.isMissingNode() ? "" : "; type was '" + outcome.path("type").asText() + "'");
    }
    String workerName = outcome.path("worker_template_name").asText("");
    StepTemplate worker = workerTemplates.stream().filter(w -> w.name().equals(workerName)).findFirst().orElse(null);
    if (worker == null) {
      return "worker_template_name '" + workerName + "' is not a batch_worker step of '" + self.name() + "' "
          + workerTemplates.stream().map(StepTemplate::name).toList();
    }
    JsonNode cursors = outcome.path("cursor_configs");
    if (!cursors.isArray()) {
      return shape + "; cursor_configs is missing or not a list";
    }
    JsonNode count = outcome.get("worker_count");
    if (count != null && !count.isNull() && (!count.canConvertToInt() || count.asInt() != cursors.size())) {
      return "worker_count " + count + " does not match the " + cursors.size() + " cursor_configs";
    }
    long existingWorkers = task.byName.values().stream().filter(s -> s.kind() == StepType.BATCH_WORKER).count();
    if (existingWorkers + cursors.size() > settings.maxBatchWorkersPerTask()) {
      return "the batch plan asks for " + cursors.size() + " workers; a task may have at most "
          + settings.maxBatchWorkersPerTask() + " batch workers (max_batch_workers_per_task)"
          + (existingWorkers > 0 ? " and has " + existingWorkers + " already" : "");
    }
    List<long[]> ranges = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cursors.size(); i++) {
      JsonNode cursor = cursors.get(i);
      String at = "cursor_configs[" + i + "]";
      if (!cursor.isObject()) {
        return at + " must be an object with batch_id, start_cursor, end_cursor and batch_size";
      }
      JsonNode batchId = cursor.path("batch_id");
      String id = batchId.isIntegralNumber() ? String.format("%03d", batchId.asLong()) : batchId.asText("");
      if (!(batchId.isTextual() || batchId.isIntegralNumber()) || !BATCH_ID.matcher(id).matches()) {
        return at + ".batch_id must be 1 to 64 letters, digits, '_' or '-', not " + batchId;
      }
      if (ids.contains(id)) {
        return at + ".batch_id '" + id + "' is used twice";
      }
      JsonNode start = cursor.path("start_cursor");
      JsonNode end = cursor.path("end_cursor");
      if (!start.isIntegralNumber() || !end.isIntegralNumber() || start.asLong() >= end.asLong()) {
        return at + ": start_cursor and end_cursor must be whole numbers with start_cursor < end_cursor (the range"
            + " is [start, end)), not " + start + " and " + end;
      }
      ids.add(id);
      ranges.add(new long[] {start.asLong(), end.asLong(), i});
    }
    List<long[]> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(r -> r[0]));
    for (int i = 1; i < sorted.size(); i++) {
      long[] before = sorted.get(i - 1);
      long[] after = sorted.get(i);
      if (after[0] < before[1]) {
        return "cursor ranges overlap: batch " + ids.get((int) before[2]) + " [" + before[0] + ", " + before[1]
            + ") and batch " + ids.get((int) after[2]) + " [" + after[0] + ", " + after[1] + ")";
      }
    }
    for (int i = 0; i < cursors.size(); i++) {
      String name = worker.name() + "_" + ids.get(i);
      if (task.byName.containsKey(name)) {
        return "batch worker '" + name + "' exists already";
      }
      ObjectNode cursor = ((ObjectNode) cursors.get(i).deepCopy()).put("batch_id", ids.get(i));
      ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("worker_template", worker.name());
      inputs.set("cursor", cursor);
      created.put(name, newStep(task, worker, name, List.of(self), inputs, self.stepId(), created));
    }
    plannedWorkerTemplates.add(worker.name());
    return null;
  }

  /**
   * Adds to {@code created} every template step not yet created whose dependencies exist now, until
   * no more can be added.
   */
  private void close(TaskSteps task, Map<String, NewStep> created, Set<String> plannedWorkerTemplates,
      Map<String, Set<String>> choices, UUID createdBy) {
    Set<String> initial = new HashSet<>();
    task.template.initialSteps().forEach(s -> initial.add(s.name()));
    for (StepTemplate step : task.template.steps()) {
      if (initial.contains(step.name()) || step.type() == StepType.BATCH_WORKER
          || task.byName.containsKey(step.name()) || created.containsKey(step.name())) {
        continue;
      }
      List<Object> dependencies = new ArrayList<>();
      boolean anyNew = false;
      boolean allExist = true;
      for (String name : step.dependencies()) {
        StepTemplate dependency = task.template.step(name).orElseThrow();
        if (dependency.type() == StepType.BATCH_WORKER) {
          List<Object> workers = new ArrayList<>(task.workersOf(name));
          created.values().stream().filter(s -> s.template().name().equals(name)).forEach(workers::add);
          boolean planned = plannedWorkerTemplates.contains(name);
          anyNew |= planned;
          if (workers.isEmpty() && planned) {
            String batchable = dependency.dependencies().get(0);
            dependencies.add(created.containsKey(batchable) ? created.get(batchable) : task.byName.get(batchable));
          } else if (workers.isEmpty()) {
            allExist = false;
          }
          dependencies.addAll(workers);
        } else if (created.containsKey(name)) {
          dependencies.add(created.get(name));
          anyNew = true;
        } else if (task.byName.containsKey(name)) {
          dependencies.add(task.byName.get(name));
          if (dependency.type() == StepType.DECISION) {
            Set<String> chosen = choices.get(name);
            allExist &= chosen != null && chosen.contains(step.name());
          }
        } else {
          allExist = false;
        }
      }
      boolean create = step.type() == StepType.DEFERRED_CONVERGENCE
          ? anyNew && !dependencies.isEmpty()
          : anyNew && allExist;
      if (create) {
        created.put(step.name(), newStep(task, step, step.name(), dependencies, null, createdBy, created));
      }
    }
  }

  /** A new step depending on {@code dependencies} (each an {@link Existing} or a {@link NewStep}). */
  private NewStep newStep(TaskSteps task, StepTemplate template, String name, List<?> dependencies, JsonNode inputs,
      UUID createdBy, Map<String, NewStep> created) {
    Set<UUID> dependencyIds = new LinkedHashSet<>();
    Set<UUID> ancestors = new LinkedHashSet<>();
    int unmet = 0;
    for (Object dependency : dependencies) {
      if (dependency instanceof Existing e) {
        if (dependencyIds.add(e.stepId())) {
          unmet += e.done() ? 0 : 1;
        }
        ancestors.addAll(e.ancestors());
        ancestors.add(e.stepId());
      } else {
        NewStep n = (NewStep) dependency;
        if (dependencyIds.add(n.stepId())) {
          unmet++;
        }
        ancestors.addAll(n.ancestors());
        ancestors.add(n.stepId());
      }
    }
    return new NewStep(Ids.newId(), task.taskId, task.priority, template, name, List.copyOf(dependencyIds), unmet,
        List.copyOf(ancestors), inputs, createdBy);
  }

  private TaskSteps load(UUID taskId) throws SQLException {
    TaskSteps known = tasks.get(taskId);
    if (known != null) {
      return known;
    }
    TaskSteps task;
    try (PreparedStatement statement = connection.prepareStatement("""
        SELECT t.priority, ns.name, nt.name, nt.version
          FROM tasker.tasks t
          JOIN tasker.named_tasks nt ON nt.named_task_id = t.named_task_id
          JOIN tasker.namespaces ns ON ns.namespace_id = nt.namespace_id
         WHERE t.task_id = ?
           FOR UPDATE OF t
        """)) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("task " + taskId + " is not in the database");
        }
        task = new TaskSteps(taskId, rs.getInt(1),
            settings.templates().find(rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    try (PreparedStatement statement = connection.prepareStatement("""
        SELECT step_id, name, kind, state, ancestor_ids, inputs ->> 'worker_template',
               results -> 'decision_point_outcome'
          FROM tasker.workflow_steps
         WHERE task_id = ?
        """)) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String state = rs.getString(4);
          Array ancestors = rs.getArray(5);
          List<UUID> ancestorIds = ancestors == null ? List.of() : List.of((UUID[]) ancestors.getArray());
          StepType kind = StepType.fromWireName(rs.getString(3));
          Existing step = new Existing(rs.getObject(1, UUID.class), rs.getString(2), kind,
              state.equals("complete") || state.equals("resolved_manually"), ancestorIds, rs.getString(6));
          task.add(step);
          if (kind == StepType.DECISION && step.done()) {
            task.choices.put(step.name(), storedChoice(rs.getString(7)));
          }
        }
      }
    }
    tasks.put(taskId, task);
    return task;
  }

  private static Set<String> storedChoice(String outcomeJson) {
    Set<String> chosen = new HashSet<>();
    if (outcomeJson != null) {
      try {
        JsonNode outcome = new com.fasterxml.jackson.databind.ObjectMapper().readTree(outcomeJson);
        outcome.path("step_names").forEach(n -> chosen.add(n.asText()));
      } catch (java.io.IOException e) {
        throw new IllegalStateException("a stored decision outcome is unreadable: " + e.getMessage(), e);
      }
    }
    return chosen;
  }

  /**
   * Writes the planned steps: rows, edges, first transitions and the tasks' step counts. Called
   * before the results are written.
   */
  void write() throws SQLException {
    if (pending.isEmpty()) {
      return;
    }
    try (PreparedStatement steps = connection.prepareStatement("""
        INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, handler_config, state, priority,
                                           unmet_dependencies, ancestor_ids, max_attempts, retryable,
                                           backoff_base_ms, max_backoff_ms, timeout_ms, kind, backoff, inputs)
        VALUES (?, ?, ?, ?, ?::jsonb, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
        """);
        PreparedStatement edges = connection.prepareStatement(
            "INSERT INTO tasker.step_edges (from_step_id, to_step_id, task_id) VALUES (?, ?, ?)");
        PreparedStatement transitions = connection.prepareStatement("""
            INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key, metadata)
            VALUES (?, NULL, 'pending', 1, jsonb_build_object('created_by', ?::text))
            """);
        PreparedStatement counts = connection.prepareStatement("""
            UPDATE tasker.tasks SET total_steps = total_steps + ?, active_steps = active_steps + ?, updated_at = now()
             WHERE task_id = ?
            """)) {
      Map<UUID, int[]> byTask = new LinkedHashMap<>();
      for (NewStep s : pending) {
        StepTemplate t = s.template();
        int p = 1;
        steps.setObject(p++, s.stepId());
        steps.setObject(p++, s.taskId());
        steps.setString(p++, s.name());
        steps.setString(p++, t.handler());
        steps.setString(p++, t.handlerConfig().toString());
        steps.setInt(p++, s.priority());
        steps.setInt(p++, s.unmet());
        steps.setArray(p++, connection.createArrayOf("uuid", s.ancestors().toArray()));
        steps.setInt(p++, t.retry().effectiveMaxAttempts());
        steps.setBoolean(p++, t.retry().retryable());
        steps.setLong(p++, t.retry().backoffBaseMs());
        steps.setLong(p++, t.retry().maxBackoffMs());
        steps.setLong(p++, t.timeout().toMillis());
        steps.setString(p++, t.type().wireName());
        steps.setString(p++, t.retry().backoff().wireName());
        steps.setString(p, s.inputs() == null ? null : s.inputs().toString());
        steps.addBatch();
        for (UUID dependency : s.dependencies()) {
          edges.setObject(1, dependency);
          edges.setObject(2, s.stepId());
          edges.setObject(3, s.taskId());
          edges.addBatch();
        }
        transitions.setObject(1, s.stepId());
        transitions.setString(2, s.createdBy().toString());
        transitions.addBatch();
        int[] count = byTask.computeIfAbsent(s.taskId(), id -> new int[2]);
        count[0]++;
        count[1] += s.unmet() == 0 ? 1 : 0;
      }
      steps.executeBatch();
      edges.executeBatch();
      transitions.executeBatch();
      for (Map.Entry<UUID, int[]> e : byTask.entrySet()) {
        counts.setInt(1, e.getValue()[0]);
        counts.setInt(2, e.getValue()[1]);
        counts.setObject(3, e.getKey());
        counts.addBatch();
      }
      counts.executeBatch();
    }
    pending.clear();
  }
}
