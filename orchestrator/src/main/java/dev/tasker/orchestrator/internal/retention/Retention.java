package dev.tasker.orchestrator.internal.retention;

import dev.tasker.orchestrator.internal.cluster.MaintenanceLock;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the tasks that finished more than {@code retention_days} ago (by the database's clock)
 * and everything recorded about them: steps, edges, transitions, batch memberships, closed dead
 * letters, and the batches (with their transitions, ledger rows and discrepancies) that served
 * only such tasks. A task with an open dead letter is kept until an operator settles it.
 *
 * <p>It works in passes of at most {@link #TASKS_PER_PASS} tasks, each its own short transaction,
 * so it never holds many locks or blocks dispatch for long; a run stops after {@link
 * #MAX_PASSES_PER_RUN} passes and the next run, one {@link #RUN_EVERY_MS} later, carries on. With
 * several orchestrators one at a time runs each pass ({@link MaintenanceLock#RETENTION}). One
 * thread.
 *
 * <p>Ledger rows that name no batch the database knows (messages refused before any batch matched
 * them) are not removed here.
 */
public final class Retention implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  /** Most tasks one pass deletes. */
  public static final int TASKS_PER_PASS = 500;
  /** Most passes one run makes. */
  static final int MAX_PASSES_PER_RUN = 20;
  /** Time between runs. */
  static final long RUN_EVERY_MS = TimeUnit.MINUTES.toMillis(1);
  /** Time from start to the first run, so start-up is not slowed. */
  static final long FIRST_RUN_AFTER_MS = TimeUnit.SECONDS.toMillis(10);

  /** What one pass, or one run, removed. */
  public record Removed(long tasks, long steps, long transitions, long batches, long ledgerRows) {
    static final Removed NOTHING = new Removed(0, 0, 0, 0, 0);

    Removed plus(Removed other) {
      return new Removed(tasks + other.tasks, steps + other.steps, transitions + other.transitions,
          batches + other.batches, ledgerRows + other.ledgerRows);
    }
  }

  private final DataSource dataSource;
  private final int retentionDays;
  private final TaskerMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object sleeper = new Object();
  private volatile boolean stopRequested;

  /**
   * @param retentionDays days a finished task is kept; at least 1 (0, keep everything, runs no thread)
   * @param metrics counts the rows removed, by table
   */
  public Retention(DataSource dataSource, int retentionDays, TaskerMetrics metrics) {
    if (retentionDays < 1) {
      throw new IllegalArgumentException("retentionDays must be at least 1 but was " + retentionDays);
    }
    this.dataSource = dataSource;
    this.retentionDays = retentionDays;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    try {
      long sleep = FIRST_RUN_AFTER_MS;
      while (sleepFor(sleep)) {
        try {
          Removed removed = runOnce();
          if (removed.tasks() > 0) {
            log.info("retention ({} days): removed {} finished tasks, {} steps, {} transitions, {} batches and"
                + " {} ledger rows", retentionDays, removed.tasks(), removed.steps(), removed.transitions(),
                removed.batches(), removed.ledgerRows());
          }
        } catch (RuntimeException e) {
          log.warn("retention pass failed ({}); trying again in {} s", e.getMessage(), RUN_EVERY_MS / 1000);
        }
        sleep = RUN_EVERY_MS;
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Makes passes until one finds less than a full pass's worth, or {@link #MAX_PASSES_PER_RUN}. */
  public Removed runOnce() {
    Instant cutoff = Transactions.inTransaction(dataSource, "reading the retention cutoff", this::cutoff);
    Removed total = Removed.NOTHING;
    for (int pass = 0; pass < MAX_PASSES_PER_RUN && !stopRequested; pass++) {
      Removed removed = Transactions.inTransaction(dataSource, "removing finished tasks",
          connection -> MaintenanceLock.RETENTION.tryTake(connection)
              ? removeFinishedBefore(connection, cutoff, TASKS_PER_PASS)
              : null);
      if (removed == null) {
        break;
      }
      total = total.plus(removed);
      recordTo(metrics, removed);
      if (removed.tasks() < TASKS_PER_PASS) {
        break;
      }
    }
    return total;
  }

  private static void recordTo(TaskerMetrics metrics, Removed removed) {
    metrics.retentionRemoved("tasks", removed.tasks());
    metrics.retentionRemoved("workflow_steps", removed.steps());
    metrics.retentionRemoved("transitions", removed.transitions());
    metrics.retentionRemoved("step_execution_batches", removed.batches());
    metrics.retentionRemoved("step_execution_batch_received_results", removed.ledgerRows());
  }

  /**
   * One pass: at most {@code limit} tasks that finished before {@code cutoff}, and what goes with
   * them, in the caller's transaction.
   */
  public static Removed removeFinishedBefore(Connection connection, Instant cutoff, int limit) throws SQLException {
    long tasks;
    long steps;
    long transitions;
    UUID[] batches;
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(Retention.class, "remove_finished_tasks.sql"))) {
      statement.setObject(1, ceilingOf(cutoff));
      statement.setTimestamp(2, Timestamp.from(cutoff));
      statement.setInt(3, limit);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        tasks = rs.getLong(1);
        steps = rs.getLong(2);
        transitions = rs.getLong(3);
        Array array = rs.getArray(4);
        batches = (UUID[]) array.getArray();
      }
    }
    if (batches.length == 0) {
      return new Removed(tasks, steps, transitions, 0, 0);
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(Retention.class, "remove_emptied_batches.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, Arrays.asList(batches)));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return new Removed(tasks, steps, transitions + rs.getLong(3), rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /**
   * The lowest UUIDv7 of {@code instant}'s millisecond: every id made before it is lower (UUIDs
   * compare byte by byte, and a UUIDv7 starts with its big-endian Unix time in milliseconds).
   */
  static UUID ceilingOf(Instant instant) {
    return new UUID(instant.toEpochMilli() << 16, 0L);
  }

  private Instant cutoff(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT now() - make_interval(days => ?)")) {
      statement.setInt(1, retentionDays);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  private boolean sleepFor(long millis) {
    synchronized (sleeper) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (!stopRequested) {
        long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        if (left <= 0) {
          return true;
        }
        try {
          sleeper.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  /** Asks the loop to stop (between passes). */
  public void requestStop() {
    stopRequested = true;
    synchronized (sleeper) {
      sleeper.notifyAll();
    }
  }

  /** Waits for the loop to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
