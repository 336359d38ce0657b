package dev.tasker.cli;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * What the bench reads back from the database after (or while) a phase runs. Tasks of a phase are
 * found by their {@code reason}, which the bench sets to a tag naming the run and the phase.
 * Times of a drain come from the database's own timestamps (a step's claim and completion), so
 * reading them costs the running system nothing.
 */
final class BenchReadings {

  /** How a drain went, by the database's clock. */
  record Drain(long steps, long notComplete, long elapsedMicros, long[] decileMicros) {
    double stepsPerSecond() {
      return elapsedMicros <= 0 ? 0 : steps / (elapsedMicros / 1e6);
    }

    /** Steps per second within each tenth of the steps, in order of completion. */
    double[] decileRates() {
      double[] rates = new double[decileMicros.length];
      long previous = 0;
      for (int i = 0; i < decileMicros.length; i++) {
        long span = decileMicros[i] - previous;
        rates[i] = span <= 0 ? 0 : (steps / 10.0) / (span / 1e6);
        previous = decileMicros[i];
      }
      return rates;
    }
  }

  private static final String DRAIN = """
      SELECT count(*),
             count(*) FILTER (WHERE s.state <> 'complete'),
             min(s.last_attempted_at),
             percentile_disc(ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
               WITHIN GROUP (ORDER BY s.completed_at)
        FROM tasker.workflow_steps s
        JOIN tasker.tasks t ON t.task_id = s.task_id
       WHERE t.reason = ?""";

  private final DataSource dataSource;

  BenchReadings(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The drain of the steps of the tasks tagged {@code tag}: from the first claim to each tenth done. */
  Drain drain(String tag) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(DRAIN)) {
      statement.setString(1, tag);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long steps = rs.getLong(1);
        Timestamp first = rs.getTimestamp(3);
        java.sql.Array deciles = rs.getArray(4);
        if (first == null || deciles == null) {
          return new Drain(steps, rs.getLong(2), 0, new long[0]);
        }
        long start = micros(first);
        long[] decileMicros = Arrays.stream((Object[]) deciles.getArray())
            .mapToLong(t -> t == null ? 0 : micros((Timestamp) t) - start).toArray();
        return new Drain(steps, rs.getLong(2), decileMicros[decileMicros.length - 1], decileMicros);
      }
    }
  }

  /** The hops the bench handler recorded for the steps of tasks tagged {@code tag}, in nanoseconds. */
  long[] hops(String tag) throws SQLException {
    return longs("""
        SELECT (s.results->>'hop_ns')::int8
          FROM tasker.workflow_steps s
          JOIN tasker.tasks t ON t.task_id = s.task_id
         WHERE t.reason = ? AND s.results->>'hop_ns' IS NOT NULL""", tag);
  }

  /** When the step called {@code stepName} of each task tagged {@code tag} started, by task. */
  Map<UUID, Long> startNanos(String tag, String stepName) throws SQLException {
    Map<UUID, Long> starts = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement("""
            SELECT s.task_id, (s.results->>'start_ns')::int8
              FROM tasker.workflow_steps s
              JOIN tasker.tasks t ON t.task_id = s.task_id
             WHERE t.reason = ? AND s.name = ? AND s.results->>'start_ns' IS NOT NULL""")) {
      statement.setString(1, tag);
      statement.setString(2, stepName);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          starts.put(rs.getObject(1, UUID.class), rs.getLong(2));
        }
      }
    }
    return starts;
  }

  /** How many tasks tagged {@code tag} are still pending or in progress (reads every task: not for tight loops). */
  long unfinished(String tag) throws SQLException {
    return longs("SELECT count(*) FROM tasker.tasks WHERE reason = ? AND state IN ('pending', 'in_progress')", tag)[0];
  }

  /** Whether a task has finished (complete, error or cancelled). */
  boolean finished(Connection connection, UUID taskId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT state NOT IN ('pending', 'in_progress') FROM tasker.tasks WHERE task_id = ?")) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private long[] longs(String sql, String tag) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tag);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getLong(1));
        }
      }
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static long micros(Timestamp timestamp) {
    return timestamp.getTime() / 1000 * 1_000_000 + timestamp.getNanos() / 1000;
  }
}
