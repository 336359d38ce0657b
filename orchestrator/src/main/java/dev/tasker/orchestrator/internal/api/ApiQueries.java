package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateException;
import dev.tasker.orchestrator.internal.api.ApiViews.Batch;
import dev.tasker.orchestrator.internal.api.ApiViews.Edge;
import dev.tasker.orchestrator.internal.api.ApiViews.Step;
import dev.tasker.orchestrator.internal.api.ApiViews.StepDetail;
import dev.tasker.orchestrator.internal.api.ApiViews.Task;
import dev.tasker.orchestrator.internal.api.ApiViews.TaskPage;
import dev.tasker.orchestrator.internal.api.ApiViews.TaskSummary;
import dev.tasker.orchestrator.internal.api.ApiViews.Template;
import dev.tasker.orchestrator.internal.api.ApiViews.TemplateStep;
import dev.tasker.orchestrator.internal.api.ApiViews.TemplateSummary;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.template.TemplateParser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The reads behind the API that {@code TaskerClient} does not offer: pages, edges, batches, templates. */
final class ApiQueries {

  /** A page of the task list: filters are null when not given. */
  record TaskFilter(List<String> states, String namespace, String name, UUID after, int limit) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;

  ApiQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  TaskPage tasks(TaskFilter filter) {
    return Transactions.inTransaction(dataSource, "listing tasks", connection -> {
      List<TaskSummary> tasks = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "list_tasks.sql"))) {
        statement.setObject(1, filter.after());
        statement.setObject(2, filter.after());
        statement.setArray(3, filter.states() == null ? null : SqlArrays.texts(connection, filter.states()));
        statement.setArray(4, filter.states() == null ? null : SqlArrays.texts(connection, filter.states()));
        setText(statement, 5, filter.namespace());
        setText(statement, 6, filter.namespace());
        setText(statement, 7, filter.name());
        setText(statement, 8, filter.name());
        statement.setInt(9, filter.limit() + 1);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            tasks.add(new TaskSummary(rs.getObject(1, UUID.class), rs.getString(2) + "/" + rs.getString(3) + ":"
                + rs.getString(4), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                instant(rs, 7), instant(rs, 8), rs.getInt(9), rs.getInt(10)));
          }
        }
      }
      String next = null;
      if (tasks.size() > filter.limit()) {
        tasks.remove(tasks.size() - 1);
        next = tasks.get(tasks.size() - 1).taskId().toString();
      }
      return new TaskPage(tasks, next);
    });
  }

  Optional<Task> task(UUID taskId) {
    return Transactions.inTransaction(dataSource, "reading task " + taskId, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "task.sql"))) {
        statement.setObject(1, taskId);
        ResultSet row = statement.executeQuery(); // closed with the statement
        if (!row.next()) {
          return Optional.empty();
        }
        List<Step> rows = new ArrayList<>();
        try (PreparedStatement steps = connection.prepareStatement(Sql.load(ApiQueries.class, "steps.sql"))) {
          steps.setObject(1, taskId);
          try (ResultSet rs = steps.executeQuery()) {
            while (rs.next()) {
              rows.add(step(rs, List.of()));
            }
          }
        }
        List<Edge> edges = edges(connection, rows.stream().map(Step::stepId).toList());
        List<Step> steps = rows.stream()
            .map(s -> s.withDependsOn(edges.stream().filter(e -> e.to().equals(s.name())).map(Edge::from).toList()))
            .toList();
        return Optional.of(new Task(taskId, row.getString(2) + "/" + row.getString(3) + ":" + row.getString(4),
            row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getInt(6),
            json(row.getString(11)), row.getString(12), row.getString(13), row.getString(14), instant(row, 7),
            instant(row, 8), row.getInt(9), row.getInt(10), steps, edges));
      }
    });
  }

  Optional<StepDetail> step(UUID stepId) {
    return Transactions.inTransaction(dataSource, "reading step " + stepId, connection -> {
      Step step;
      JsonNode inputs;
      JsonNode checkpoint;
      UUID createdBy;
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "step.sql"))) {
        statement.setObject(1, stepId);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          step = step(rs, List.of());
          inputs = json(rs.getString(16));
          checkpoint = json(rs.getString(17));
          createdBy = rs.getObject(18, UUID.class);
        }
      }
      JsonNode input = null;
      List<String> parents = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement("""
          SELECT t.context::text, ARRAY(SELECT p.name FROM tasker.step_edges e
                                          JOIN tasker.workflow_steps p ON p.step_id = e.from_step_id
                                         WHERE e.to_step_id = ? ORDER BY p.name)
            FROM tasker.tasks t WHERE t.task_id = ?""")) {
        statement.setObject(1, stepId);
        statement.setObject(2, step.taskId());
        try (ResultSet rs = statement.executeQuery()) {
          if (rs.next()) {
            input = json(rs.getString(1));
            for (String name : (String[]) rs.getArray(2).getArray()) {
              parents.add(name);
            }
          }
        }
      }
      List<Batch> batches = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "step_batches.sql"))) {
        statement.setObject(1, stepId);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            batches.add(new Batch(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                instant(rs, 5), rs.getInt(6), rs.getString(7)));
          }
        }
      }
      return Optional.of(new StepDetail(step.stepId(), step.taskId(), step.name(), step.kind(), step.handler(),
          step.state(), step.attempts(), step.maxAttempts(), step.output(), step.lastError(), step.nextAttemptAt(),
          step.lastAttemptedAt(), step.completedAt(), step.createdAt(), step.updatedAt(), parents, createdBy, input,
          inputs, checkpoint, batches));
    });
  }

  /** Every stored template version, newest version of each first; or those of one name. */
  List<Template> templates(String namespace, String name) {
    return Transactions.inTransaction(dataSource, "listing templates", connection -> {
      Map<String, Template> found = new LinkedHashMap<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "templates.sql"))) {
        setText(statement, 1, namespace);
        setText(statement, 2, namespace);
        setText(statement, 3, name);
        setText(statement, 4, name);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            found.put(rs.getString(1) + "/" + rs.getString(2) + ":" + rs.getString(3),
                template(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                    json(rs.getString(6))));
          }
        }
      }
      return List.copyOf(found.values());
    });
  }

  static TemplateSummary summary(Template template) {
    return new TemplateSummary(template.namespace(), template.name(), template.version(), template.description(),
        template.createdAt(), template.steps().size());
  }

  private static Template template(String namespace, String name, String version, String description,
      Instant createdAt, JsonNode definition) {
    List<TemplateStep> steps = List.of();
    JsonNode inputSchema = definition.get("input_schema");
    try {
      TaskTemplate parsed = TemplateParser.parse(definition, "stored template " + namespace + "/" + name, null);
      steps = parsed.steps().stream().map(ApiQueries::templateStep).toList();
    } catch (TemplateException e) {
      // A definition stored by an older release that this one no longer parses: still listed, without steps.
    }
    return new Template(namespace, name, version, description, createdAt, inputSchema, steps, definition);
  }

  private static TemplateStep templateStep(StepTemplate step) {
    return new TemplateStep(step.name(), step.type().wireName(), step.description(), step.handler(),
        step.dependencies(), step.retry().maxAttempts(), step.timeout().toMillis());
  }

  private static List<Edge> edges(Connection connection, List<UUID> stepIds) throws SQLException {
    List<Edge> edges = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(ApiQueries.class, "edges.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, stepIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          edges.add(new Edge(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return edges;
  }

  private static Step step(ResultSet rs, List<String> dependsOn) throws SQLException {
    return new Step(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(15),
        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7), json(rs.getString(8)), json(rs.getString(9)),
        instant(rs, 10), instant(rs, 11), instant(rs, 12), instant(rs, 13), instant(rs, 14), dependsOn);
  }

  private static void setText(PreparedStatement statement, int index, String value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp timestamp = rs.getTimestamp(column);
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static JsonNode json(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored JSON does not parse: " + e.getOriginalMessage(), e);
    }
  }
}
