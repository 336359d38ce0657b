package dev.tasker.orchestrator.internal.deadlines;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.cluster.MaintenanceLock;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.dispatch.DispatchSignal;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.results.AttemptTimeouts;
import dev.tasker.orchestrator.internal.results.ResultApplier;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.workers.WorkerEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds work that is stuck and frees it, on timers rather than a fixed poll: it sleeps until the
 * next attempt deadline or batch deadline (read from partial indexes), or until woken because a new
 * one was set. Three jobs:
 *
 * <ul>
 *   <li>An attempt past its deadline fails with error type {@code timeout}, and is retried by the
 *       step's policy; a late result of that attempt is rejected as superseded or late.
 *   <li>A batch without a completion past its deadline is an orphan: it ends in {@code timeout},
 *       with a {@code no_completion} discrepancy.
 *   <li>Takeover: once a grace period has passed since start (one liveness window and an interval,
 *       for workers to register again), the steps that orchestrators no longer alive sent to
 *       workers that no orchestrator hears from run again, without waiting for the attempts' own
 *       deadlines. This covers this orchestrator's own earlier run after a restart, and another
 *       orchestrator that died.
 * </ul>
 *
 * <p>With several orchestrators on one database, each job runs in a transaction that first takes
 * its {@link MaintenanceLock}; the orchestrators that do not get it skip the pass. One thread. Its
 * changes are guarded by the steps' current state, like the applier's.
 */
public final class DeadlineSweeper implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(DeadlineSweeper.class);

  private final DataSource dataSource;
  private final Backoff backoff;
  private final Liveness self;
  private final Runnable wakeDispatcher;
  private final Consumer<Long> retryScheduled;
  private final long graceMs;
  private final long takeoverEveryMs;
  private final long maxSleepMs;
  private final TaskerMetrics metrics;
  private final DispatchSignal signal = new DispatchSignal();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final long startedNanos = System.nanoTime();
  private volatile boolean stopRequested;
  /** When the loop will wake by itself (nanoTime); MIN_VALUE while it runs, so a deadline set then wakes it again. */
  private volatile long wakeAtNanos = Long.MIN_VALUE;

  /**
   * @param self this orchestrator and the liveness window
   * @param takeoverEveryMs how often to look for work to take over, in milliseconds (one heartbeat
   *     interval: an orchestrator found dead is taken over within about one interval)
   * @param graceMs how long after start workers have to register again before the steps they
   *     held are given to others
   * @param maxSleepMs longest sleep without a deadline or a wake-up (a safety net)
   * @param metrics counts the attempts that timed out, their retries and dead letters
   */
  public DeadlineSweeper(DataSource dataSource, Backoff backoff, Liveness self, Runnable wakeDispatcher,
      Consumer<Long> retryScheduled, long takeoverEveryMs, long graceMs, long maxSleepMs, TaskerMetrics metrics) {
    this.dataSource = dataSource;
    this.backoff = backoff;
    this.self = self;
    this.wakeDispatcher = wakeDispatcher;
    this.retryScheduled = retryScheduled;
    this.graceMs = graceMs;
    this.takeoverEveryMs = takeoverEveryMs;
    this.maxSleepMs = maxSleepMs;
    this.metrics = metrics;
  }

  /**
   * Tells the sweeper a deadline was set {@code inMillis} from now. It is woken only if that comes
   * before it would wake anyway. Any thread.
   */
  public void deadlineSet(long inMillis) {
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(inMillis) < wakeAtNanos) {
      signal.wake();
    }
  }

  /** Asks the loop to stop. */
  public void requestStop() {
    stopRequested = true;
    signal.wake();
  }

  /** Waits for the loop to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      while (!stopRequested) {
        long sleep = maxSleepMs;
        try {
          sleep = runOnce();
        } catch (RuntimeException e) {
          log.warn("looking for stuck work failed ({}); trying again in {} ms", e.getMessage(), maxSleepMs);
        }
        wakeAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, sleep));
        signal.awaitMillis(Math.max(1, sleep));
        wakeAtNanos = Long.MIN_VALUE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Expires what is due and, once the grace period has passed, takes over abandoned steps.
   *
   * @return milliseconds until the next thing is due
   */
  public long runOnce() {
    AttemptTimeouts timeouts = Transactions.inTransaction(dataSource, "expiring attempts",
        connection -> MaintenanceLock.EXPIRE_ATTEMPTS.tryTake(connection) ? expireAttempts(connection) : null);
    int expired = 0;
    if (timeouts != null) {
      timeouts.recordTo(metrics);
      expired = timeouts.retried() + timeouts.failed();
    }
    int orphans = Transactions.inTransaction(dataSource, "expiring batches",
        connection -> MaintenanceLock.EXPIRE_BATCHES.tryTake(connection) ? expireBatches(connection) : 0);
    boolean takenOver = false;
    long untilTakeover = takeoverEveryMs;
    long sinceStart = (System.nanoTime() - startedNanos) / 1_000_000;
    if (sinceStart >= graceMs) {
      takenOver = Transactions.inTransaction(dataSource, "taking over abandoned steps",
          connection -> MaintenanceLock.TAKE_OVER.tryTake(connection) && WorkerEventStore.takeOver(connection, self));
    } else {
      untilTakeover = graceMs - sinceStart;
    }
    if (expired > 0 || orphans > 0 || takenOver) {
      wakeDispatcher.run();
    }
    long untilDeadline = Transactions.inTransaction(dataSource, "reading deadlines", this::untilNextDeadline);
    return Math.min(Math.min(untilDeadline, untilTakeover), maxSleepMs);
  }

  private AttemptTimeouts expireAttempts(Connection connection) throws SQLException {
    List<AttemptTimeouts.Expired> expired = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(DeadlineSweeper.class, "expired_attempts.sql"));
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        expired.add(new AttemptTimeouts.Expired(rs.getObject(1, UUID.class), rs.getInt(3), rs.getInt(4),
            rs.getBoolean(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9)));
      }
    }
    AttemptTimeouts timeouts = AttemptTimeouts.decide(expired, backoff);
    if (!expired.isEmpty()) {
      log.warn("{} step attempts ran past their timeout: {} will be retried, {} failed for good",
          expired.size(), timeouts.retried(), timeouts.failed());
      timeouts.write(connection);
      Long retryDelay = timeouts.shortestRetryDelayMs();
      if (retryDelay != null) {
        retryScheduled.accept(retryDelay);
      }
    }
    return timeouts;
  }

  private int expireBatches(Connection connection) throws SQLException {
    List<UUID> orphans = new ArrayList<>();
    List<String> details = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(DeadlineSweeper.class, "expired_batches.sql"));
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        orphans.add(rs.getObject(1, UUID.class));
        details.add(JsonNodeFactory.instance.objectNode()
            .put("detail", "no batch completion from worker " + rs.getString(2) + " within its deadline")
            .toString());
      }
    }
    if (orphans.isEmpty()) {
      return 0;
    }
    log.warn("{} batches got no completion before their deadline", orphans.size());
    List<TransitionWriter.Change> changes = new ArrayList<>();
    for (UUID batchId : orphans) {
      changes.add(new TransitionWriter.Change(batchId, BatchState.TIMEOUT.dbName(), null, "deadline_passed"));
    }
    TransitionWriter.batches(connection, changes);
    Batches.close(connection, orphans, true);
    // The statement is the results package's: an orphaned batch is one more discrepancy of the kind
    // the applier records.
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(ResultApplier.class, "insert_discrepancies.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, orphans));
      statement.setArray(2, connection.createArrayOf("uuid", new UUID[orphans.size()]));
      statement.setArray(3, SqlArrays.texts(connection, orphans.stream().map(b -> "no_completion").toList()));
      statement.setArray(4, SqlArrays.texts(connection, details));
      statement.executeUpdate();
    }
    return orphans.size();
  }

  private long untilNextDeadline(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(DeadlineSweeper.class, "next_deadlines.sql"));
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      long next = Long.MAX_VALUE;
      for (int column = 1; column <= 2; column++) {
        double millis = rs.getDouble(column);
        if (!rs.wasNull()) {
          next = Math.min(next, (long) Math.ceil(Math.max(0, millis)));
        }
      }
      return next;
    }
  }
}
