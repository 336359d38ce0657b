package dev.tasker.orchestrator.internal.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.BatchCounts;
import dev.tasker.orchestrator.Discrepancy;
import dev.tasker.orchestrator.OrchestratorSnapshot;
import dev.tasker.orchestrator.StateCounts;
import dev.tasker.orchestrator.WorkerSnapshot;
import dev.tasker.orchestrator.StepSnapshot;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/** Read-only queries for task status. Thread-safe. */
public final class TaskQueries {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final DataSource dataSource;

  public TaskQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A task and its steps. */
  public Optional<TaskSnapshot> task(UUID taskId) {
    return Transactions.inTransaction(dataSource, "reading task " + taskId, c -> Optional.ofNullable(read(c, taskId)));
  }

  /** Tasks and steps per state. */
  public StateCounts counts() {
    return Transactions.inTransaction(
        dataSource,
        "counting states",
        connection -> {
          Map<TaskState, Long> tasks = new EnumMap<>(TaskState.class);
          Map<StepState, Long> steps = new EnumMap<>(StepState.class);
          try (PreparedStatement statement =
                  connection.prepareStatement(Sql.load(TaskQueries.class, "state_counts.sql"));
              ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              if (rs.getString(1).equals("task")) {
                tasks.put(TaskState.fromDbName(rs.getString(2)), rs.getLong(3));
              } else {
                steps.put(StepState.fromDbName(rs.getString(2)), rs.getLong(3));
              }
            }
          }
          return new StateCounts(tasks, steps);
        });
  }

  /** How many of {@code taskIds} are in each state. */
  public Map<TaskState, Long> statesOf(Collection<UUID> taskIds) {
    return Transactions.inTransaction(
        dataSource,
        "counting task states",
        connection -> {
          Map<TaskState, Long> states = new EnumMap<>(TaskState.class);
          try (PreparedStatement statement =
              connection.prepareStatement(Sql.load(TaskQueries.class, "task_states_of.sql"))) {
            statement.setArray(1, SqlArrays.uuids(connection, taskIds));
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                states.put(TaskState.fromDbName(rs.getString(1)), rs.getLong(2));
              }
            }
          }
          return states;
        });
  }

  /** How many of {@code taskIds} are still pending or in progress. */
  public long unfinished(Collection<UUID> taskIds) {
    return Transactions.inTransaction(
        dataSource,
        "counting unfinished tasks",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(Sql.load(TaskQueries.class, "count_unfinished.sql"))) {
            statement.setArray(1, SqlArrays.uuids(connection, taskIds));
            try (ResultSet rs = statement.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Every worker recorded. */
  public List<WorkerSnapshot> workers() {
    return Transactions.inTransaction(
        dataSource,
        "reading workers",
        connection -> {
          List<WorkerSnapshot> workers = new ArrayList<>();
          try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskQueries.class, "workers.sql"));
              ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              List<String> handlers = new ArrayList<>();
              json(rs.getString(5)).path("handlers").forEach(h -> handlers.add(h.asText()));
              workers.add(new WorkerSnapshot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                  handlers, rs.getInt(6), instant(rs.getTimestamp(7))));
            }
          }
          return workers;
        });
  }

  /** Registered orchestrators, newest first, at most {@code limit}. */
  public List<OrchestratorSnapshot> orchestrators(int limit) {
    return Transactions.inTransaction(
        dataSource,
        "reading orchestrators",
        connection -> {
          List<OrchestratorSnapshot> found = new ArrayList<>();
          try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskQueries.class, "orchestrators.sql"))) {
            statement.setInt(1, limit);
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                found.add(new OrchestratorSnapshot(rs.getString(1), rs.getString(2),
                    List.of((String[]) rs.getArray(3).getArray()), instant(rs.getTimestamp(4)),
                    instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getLong(7)));
              }
            }
          }
          return found;
        });
  }

  /** The most recent discrepancies, newest first. */
  public List<Discrepancy> discrepancies(int limit) {
    return Transactions.inTransaction(
        dataSource,
        "reading discrepancies",
        connection -> {
          List<Discrepancy> found = new ArrayList<>();
          try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskQueries.class, "discrepancies.sql"))) {
            statement.setInt(1, limit);
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                found.add(new Discrepancy(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                    rs.getString(4), instant(rs.getTimestamp(5)), rs.getString(6)));
              }
            }
          }
          return found;
        });
  }

  /** Batches by state and reconciliation, and the discrepancy count. */
  public BatchCounts batchCounts() {
    return Transactions.inTransaction(
        dataSource,
        "counting batches",
        connection -> {
          Map<String, Long> byState = new TreeMap<>();
          Map<String, Long> byReconciliation = new TreeMap<>();
          long discrepancies = 0;
          try (PreparedStatement statement = connection.prepareStatement(Sql.load(TaskQueries.class, "batch_counts.sql"));
              ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              String key = rs.getString(1);
              if (key.startsWith("state:")) {
                byState.put(key.substring("state:".length()), rs.getLong(2));
              } else if (key.startsWith("reconciliation:")) {
                byReconciliation.put(key.substring("reconciliation:".length()), rs.getLong(2));
              } else {
                discrepancies = rs.getLong(2);
              }
            }
          }
          return new BatchCounts(byState, byReconciliation, discrepancies);
        });
  }

  private static TaskSnapshot read(Connection connection, UUID taskId) throws SQLException {
    String template;
    TaskState state;
    JsonNode context;
    Instant created;
    Instant completed;
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskQueries.class, "task_snapshot.sql"))) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        template = rs.getString(2);
        state = TaskState.fromDbName(rs.getString(3));
        context = json(rs.getString(4));
        created = instant(rs.getTimestamp(5));
        completed = instant(rs.getTimestamp(6));
      }
    }
    List<StepSnapshot> steps = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TaskQueries.class, "step_snapshots.sql"))) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          steps.add(
              new StepSnapshot(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  StepState.fromDbName(rs.getString(4)),
                  rs.getInt(5),
                  rs.getInt(6),
                  json(rs.getString(7)),
                  json(rs.getString(8)),
                  instant(rs.getTimestamp(9))));
        }
      }
    }
    return new TaskSnapshot(taskId, template, state, context, created, completed, steps);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }
}
