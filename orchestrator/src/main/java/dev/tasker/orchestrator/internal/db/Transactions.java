package dev.tasker.orchestrator.internal.db;

import dev.tasker.orchestrator.TaskerDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs work in a transaction, retrying on deadlock and serialization failures. */
public final class Transactions {

  /** Work done inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /** Runs against {@code connection}, which is in a transaction. */
    T run(Connection connection) throws SQLException;
  }

  private static final Logger log = LoggerFactory.getLogger(Transactions.class);
  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");
  private static final int MAX_TRIES = 5;

  private Transactions() {}

  /**
   * Runs {@code work} in a transaction and commits it.
   *
   * @param operation names the operation in errors and logs
   * @throws TaskerDatabaseException when it fails for another reason or keeps failing; the
   *     transaction is rolled back
   */
  public static <T> T inTransaction(DataSource dataSource, String operation, Work<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(false);
        try {
          T result = work.run(connection);
          connection.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollback(connection);
          throw e;
        } finally {
          // A broken connection fails here too; that must not hide why the work failed.
          restoreAutoCommit(connection);
        }
      } catch (SQLException e) {
        last = e;
        String state = e.getSQLState();
        if (state == null || !RETRYABLE_STATES.contains(state)) {
          break;
        }
        log.debug("{} hit {} (attempt {}), retrying", operation, e.getSQLState(), attempt);
      }
    }
    throw new TaskerDatabaseException(operation + " failed: " + last.getMessage(), last);
  }

  private static void restoreAutoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      log.debug("restoring autocommit failed: {}", e.getMessage());
    }
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.warn("rollback failed: {}", e.getMessage());
    }
  }
}
