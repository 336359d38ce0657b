package dev.tasker.orchestrator.internal.dispatch;

import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.notify.PeerNotifier;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.transport.RouterGateway;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.Goodbye;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends ready steps to workers. It sleeps until woken (a task was created, a step completed, a
 * worker registered or freed credit) or until the next retry comes due, then runs {@link
 * #runOnce()}: answer draining workers, make due retries pending, and claim ready steps in rounds
 * until workers have no free credit or no step is ready. Steps are marked in_progress in the same
 * transaction that records their batch; the batch is sent after the commit, and the dispatcher
 * never waits for a worker. One thread.
 */
public final class BatchDispatcher implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(BatchDispatcher.class);
  private static final int MAX_ROUNDS = 20;

  private final DataSource dataSource;
  private final WorkerRegistry registry;
  private final RouterGateway gateway;
  private final DispatchSignal signal;
  private final DispatchSettings settings;
  private final LongConsumer deadlinesSet;
  private volatile boolean readyLeftBehind = true;
  /**
   * Ready steps are known to be left: a round claimed all it asked for, or steps were made ready
   * that nobody here claimed (perhaps for handlers only other orchestrators' workers serve).
   */
  private volatile boolean knownLeftBehind;
  private final PeerNotifier peers;
  private final TaskerMetrics metrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopRequested;
  /** When the soonest retry hinted by an applier or sweeper is due, in System.nanoTime(); MAX_VALUE: none. */
  private final AtomicLong scheduledRetryNanos = new AtomicLong(Long.MAX_VALUE);
  /**
   * When the next retry is due, in System.nanoTime(), or MAX_VALUE. Only for sleeping: whether a
   * retry is due is decided in SQL on the database's clock.
   */
  private long nextRetryDueNanos = Long.MAX_VALUE;
  private boolean retriesChecked;
  private long lastSweepNanos = System.nanoTime();
  private int rotation;

  public BatchDispatcher(
      DataSource dataSource,
      WorkerRegistry registry,
      RouterGateway gateway,
      DispatchSignal signal,
      DispatchSettings settings,
      LongConsumer deadlinesSet,
      PeerNotifier peers,
      TaskerMetrics metrics) {
    this.dataSource = dataSource;
    this.registry = registry;
    this.gateway = gateway;
    this.signal = signal;
    this.settings = settings;
    this.deadlinesSet = deadlinesSet;
    this.peers = peers;
    this.metrics = metrics;
  }

  /** Asks the loop to stop; it sends no batch after returning from its current round. */
  public void requestStop() {
    stopRequested = true;
    signal.wake();
  }

  /** Waits for the loop to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Tells the dispatcher that workers have credit again (their results were stored). It is woken
   * only if its last pass may have left ready steps for lack of credit: otherwise there is nothing
   * for it to do, and waking it would cost a query at every step. Any thread.
   */
  public void creditFreed() {
    if (readyLeftBehind) {
      signal.wake();
    }
  }

  /** Tells the dispatcher that steps became ready that nobody claimed. Any thread. */
  public void stepsReady() {
    readyLeftBehind = true;
    knownLeftBehind = true;
    signal.wake();
  }

  /** Tells the dispatcher a step will be due for retry in {@code delayMs} milliseconds. Any thread. */
  public void retryScheduled(long delayMs) {
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMs));
    scheduledRetryNanos.accumulateAndGet(due, Math::min);
  }

  @Override
  public void run() {
    try {
      while (!stopRequested) {
        // Wake-ups can be frequent; the sweep of the database for due retries still runs at least
        // once per sweep interval.
        boolean sweep = System.nanoTime() - lastSweepNanos >= TimeUnit.MILLISECONDS.toNanos(settings.sweepIntervalMs());
        try {
          runOnce(sweep);
        } catch (RuntimeException e) {
          log.error("dispatch round failed; retrying after the next wake-up", e);
        }
        signal.awaitMillis(sleepMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /**
   * One pass: answer GOODBYEs, promote due retries, dispatch ready steps.
   *
   * @return how many steps were sent
   */
  public int runOnce() {
    return runOnce(true);
  }

  /**
   * @param sweep also look for due retries in the database, not only those this process scheduled
   */
  private int runOnce(boolean sweep) {
    acknowledgeGoodbyes();
    promoteDueRetries(sweep);
    int sent = 0;
    // Until this pass finds fewer ready steps than it asked for, some may be waiting for credit.
    readyLeftBehind = true;
    for (int round = 0; round < MAX_ROUNDS && !stopRequested; round++) {
      ClaimRound claim = ClaimRound.reserveFree(registry.sessions(), settings.maxStepsPerRound(), rotation);
      if (claim.isEmpty()) {
        break;
      }
      Map<String, Integer> quotas = claim.quotas(settings.maxStepsPerRound(), rotation++);
      // Each handler's quota is the free credit of every worker serving it, so the quotas add up to
      // more than can be claimed when workers serve several handlers: the credit reserved caps it.
      int claimable = Math.min(quotas.values().stream().mapToInt(Integer::intValue).sum(), claim.reservedSteps());
      long roundStarted = System.nanoTime();
      int claimed;
      try {
        claimed = Transactions.inTransaction(
            dataSource,
            "claiming ready steps",
            connection -> claim.claim(connection, StepClaimer.selectReady(connection, quotas), settings));
      } catch (RuntimeException e) {
        claim.abandon();
        throw e;
      }
      int steps = claim.send(gateway, metrics);
      metrics.dispatchRound(System.nanoTime() - roundStarted);
      sent += steps;
      if (steps > 0) {
        deadlinesSet.accept(claim.earliestDeadlineMs());
      }
      if (log.isDebugEnabled()) {
        log.debug("dispatch round: {} steps in {} ms", steps, (System.nanoTime() - roundStarted) / 1_000_000);
      }
      if (claimed < claimable) {
        // Alone, a short round means nothing more is ready. With other orchestrators claiming at
        // the same time it may only mean they took some first: look again when credit comes back,
        // until a round finds nothing at all.
        readyLeftBehind = claimed > 0 && peers.othersAlive();
        break;
      }
      knownLeftBehind = true;
    }
    // Steps known to be ready and left for lack of credit here: the other orchestrators' workers
    // may have some. Not on a mere lack of credit, or two orchestrators would wake each other
    // forever.
    if (knownLeftBehind) {
      knownLeftBehind = false;
      peers.stepsLeftBehind();
    }
    peers.flush();
    return sent;
  }

  private void acknowledgeGoodbyes() {
    for (WorkerSession worker : registry.sessions()) {
      if (worker.draining() && !worker.goodbyeAcknowledged()) {
        worker.acknowledgeGoodbye();
        gateway.send(worker.identity(), new Goodbye("acknowledged"));
      }
    }
  }

  private void promoteDueRetries(boolean sweep) {
    if (sweep) {
      lastSweepNanos = System.nanoTime();
    }
    nextRetryDueNanos = Math.min(nextRetryDueNanos, scheduledRetryNanos.getAndSet(Long.MAX_VALUE));
    boolean noneDue = nextRetryDueNanos == Long.MAX_VALUE || nextRetryDueNanos - System.nanoTime() > 0;
    if (!sweep && retriesChecked && noneDue) {
      return;
    }
    nextRetryDueNanos =
        Transactions.inTransaction(
            dataSource,
            "promoting due retries",
            connection -> {
              List<TransitionWriter.Change> changes = new ArrayList<>();
              try (PreparedStatement statement =
                  connection.prepareStatement(Sql.load(BatchDispatcher.class, "promote_due_retries.sql"))) {
                try (ResultSet rs = statement.executeQuery()) {
                  while (rs.next()) {
                    StepState.WAITING_FOR_RETRY.requireTransitionTo(StepState.PENDING);
                    changes.add(TransitionWriter.Change.to(rs.getObject(1, UUID.class), StepState.PENDING.dbName()));
                  }
                }
              }
              TransitionWriter.steps(connection, changes);
              return nextRetryDue(connection);
            });
    retriesChecked = true;
  }

  private long nextRetryDue(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(Sql.load(BatchDispatcher.class, "next_retry_due.sql"));
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      double untilDueMs = rs.getDouble(1);
      if (rs.wasNull()) {
        return Long.MAX_VALUE;
      }
      return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) Math.ceil(Math.max(0, untilDueMs)));
    }
  }

  private long sleepMillis() {
    long sleep = Math.min(settings.sweepIntervalMs(), peers.flush());
    if (nextRetryDueNanos != Long.MAX_VALUE) {
      long untilDue = TimeUnit.NANOSECONDS.toMillis(nextRetryDueNanos - System.nanoTime());
      sleep = Math.min(sleep, Math.max(1, untilDue));
    }
    return sleep;
  }
}
