package dev.tasker.orchestrator.internal.metrics;

import dev.tasker.schema.TaskerSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Whether this orchestrator can do its work: the database answers, its schema is at the version
 * this build expects, and the ROUTER is bound with the orchestrator running. Liveness needs no
 * check of its own: a process that can answer is alive. Thread-safe.
 */
public final class Readiness implements AutoCloseable {

  /** How long {@link #ready()} waits for the database, in milliseconds. */
  public static final long DATABASE_WAIT_MS = 2_000;

  /** The result of the checks: each check's outcome when ready, what failed when not. */
  public record Report(boolean ready, List<String> checks) {

    public Report {
      checks = List.copyOf(checks);
    }
  }

  private final DataSource dataSource;
  private final BooleanSupplier routerBound;
  private final SingleFlight<String> database;
  /** Once the schema was found current it stays so: migrations only move forward while we run. */
  private volatile boolean schemaCurrent;

  /**
   * @param routerBound whether the orchestrator is running with its endpoints bound
   */
  public Readiness(DataSource dataSource, BooleanSupplier routerBound) {
    this.dataSource = dataSource;
    this.routerBound = routerBound;
    this.database = new SingleFlight<>("tasker-readiness", this::checkDatabase);
  }

  /**
   * Runs the checks. Answers within about {@link #DATABASE_WAIT_MS} even when the database does
   * not: a check still waiting for a connection then counts as failed.
   */
  public Report ready() {
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    if (routerBound.getAsBoolean()) {
      passed.add("router: bound");
    } else {
      failed.add("router: the orchestrator is not running with its endpoints bound");
    }
    try {
      passed.add(database.run().get(DATABASE_WAIT_MS, TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      failed.add("database: no answer within " + DATABASE_WAIT_MS + " ms");
    } catch (ExecutionException e) {
      failed.add(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failed.add("database: interrupted while checking");
    }
    return failed.isEmpty() ? new Report(true, passed) : new Report(false, failed);
  }

  private String checkDatabase() {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) TimeUnit.MILLISECONDS.toSeconds(DATABASE_WAIT_MS));
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new IllegalStateException("database: unreachable (" + e.getMessage() + ")", e);
    }
    if (!schemaCurrent) {
      TaskerSchema.Version version;
      try {
        version = TaskerSchema.version(dataSource);
      } catch (RuntimeException e) {
        throw new IllegalStateException("schema: cannot read its version (" + e.getMessage() + ")", e);
      }
      if (!version.current()) {
        throw new IllegalStateException("schema: at version " + version.applied() + ", this build expects "
            + version.expected());
      }
      schemaCurrent = true;
    }
    return "database: reachable, schema current";
  }

  @Override
  public void close() {
    database.close();
  }
}
