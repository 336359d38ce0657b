package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/** Records dead letters, in the transaction that moves their steps to error. */
public final class DeadLetters {

  /** Why a step failed for good; the values of {@code dead_letters.reason}. */
  public enum Reason {
    PERMANENT_FAILURE,
    ATTEMPTS_EXHAUSTED,
    WORKER_LOST,
    TIMEOUT;

    String dbName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A step failed for good, with why and its last error (JSON). */
  public record Entry(UUID stepId, Reason reason, String errorJson) {}

  private DeadLetters() {}

  /** Inserts a dead letter per entry, in the caller's transaction. */
  public static void record(Connection connection, Collection<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(DeadLetters.class, "insert_dead_letters.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, entries.stream().map(Entry::stepId).toList()));
      statement.setArray(2, SqlArrays.texts(connection, entries.stream().map(e -> e.reason().dbName()).toList()));
      statement.setArray(3, SqlArrays.texts(connection, entries.stream().map(Entry::errorJson).toList()));
      statement.executeUpdate();
    }
  }
}
