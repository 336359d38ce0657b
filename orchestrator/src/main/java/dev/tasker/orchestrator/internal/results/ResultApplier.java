package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.internal.LogIds;
import dev.tasker.orchestrator.TaskerDatabaseException;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.creation.TemplateStore;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.dispatch.ClaimRound;
import dev.tasker.orchestrator.internal.dispatch.DispatchSettings;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.transport.InboundEvent;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.orchestrator.internal.transport.InboundSink;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.workers.WorkerEventStore;
import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.PartialResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.ToIntFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers report, in arrival order. It takes everything queued (up to a limit) and
 * applies it in one transaction: ledger rows, step state changes, transitions, children made
 * ready, batch reconciliation, task progress and finish. In the same transaction it claims the
 * children that became ready for workers with credit, so a hop from a parent to its child costs
 * one commit; the children's batches are sent after the commit. The worker's credit for a step
 * comes back when its result is stored, not when it arrives, and the queue of results waiting is
 * bounded: under load, work waits at the workers rather than in this process's memory.
 *
 * <p>If the database is unreachable, the results are kept in memory, in order, and applied when it
 * is back; nothing received is dropped. If a set of results fails for another reason, each is
 * applied on its own so one bad message cannot hold back the others. One thread.
 */
public final class ResultApplier implements Runnable, InboundSink {

  private static final Logger log = LoggerFactory.getLogger(ResultApplier.class);
  private static final long RECONNECT_PAUSE_MS = 500;
  /**
   * Under load, how long a transaction that would carry fewer than {@link #LINGER_TARGET} results
   * waits for more: each transaction costs a commit (a WAL flush) and a round of statements,
   * whatever its size, and with several appliers (or orchestrators) sharing the same results each
   * transaction otherwise carries only its share of what arrived while the last one ran.
   */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** Results a transaction under load waits for, at most {@link #LINGER_NANOS}. */
  static final int LINGER_TARGET = 64;
  /** The last transaction's size from which the applier counts itself under load. */
  static final int LINGER_FROM = 8;

  /**
   * What the applier needs to hand ready children to workers, and to tell the dispatcher when it
   * has work: steps made ready that were not claimed here, or credit given back.
   */
  public record ChildDispatch(
      WorkerRegistry registry,
      DispatchSettings settings,
      ToIntFunction<ClaimRound> send,
      LongConsumer deadlinesSet,
      Runnable stepsReady,
      Runnable creditFreed) {}

  private final DataSource dataSource;
  private final Backoff backoff;
  private final Consumer<Long> retryScheduled;
  private final int maxPerTransaction;
  private final int maxQueuedResults;
  private final Liveness self;
  private final BiConsumer<String, Ack> acknowledge;
  private final ChildDispatch children;
  private final TaskerMetrics metrics;
  private final LinkedBlockingQueue<InboundEvent> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedResults = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopRequested;
  /** How decision and batchable steps create steps; none until {@link #createStepsWith} is called. */
  private volatile RunTimeSteps.Settings runTimeSteps;
  /** Events in the last transaction the loop applied. Loop thread only. */
  private int lastTransactionSize;

  /**
   * @param maxQueuedResults results waiting to be applied above which the transport stops reading
   */
  public ResultApplier(
      DataSource dataSource,
      Backoff backoff,
      Consumer<Long> retryScheduled,
      int maxPerTransaction,
      int maxQueuedResults,
      Liveness self,
      BiConsumer<String, Ack> acknowledge,
      ChildDispatch children,
      TaskerMetrics metrics) {
    this.dataSource = dataSource;
    this.backoff = backoff;
    this.retryScheduled = retryScheduled;
    this.maxPerTransaction = maxPerTransaction;
    this.maxQueuedResults = maxQueuedResults;
    this.self = self;
    this.acknowledge = acknowledge;
    this.children = children;
    this.metrics = metrics;
  }

  /**
   * Lets decision and batchable steps create steps at run time, from the templates in {@code
   * templates}, with at most {@code maxBatchWorkersPerTask} batch workers in a task. Call before
   * {@link #run()}.
   */
  public ResultApplier createStepsWith(TemplateStore templates, int maxBatchWorkersPerTask) {
    this.runTimeSteps = new RunTimeSteps.Settings(templates, maxBatchWorkersPerTask);
    return this;
  }

  @Override
  public void accept(InboundEvent event) {
    if (event instanceof ResultReceived) {
      queuedResults.incrementAndGet();
    }
    queue.add(event);
  }

  @Override
  public boolean acceptsMoreResults() {
    return queuedResults.get() < maxQueuedResults;
  }

  /** Events waiting to be applied. */
  public int backlog() {
    return queue.size();
  }

  /** Asks the loop to stop once the queue is empty. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Waits for the loop to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    try {
      while (true) {
        InboundEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (stopRequested) {
            return;
          }
          continue;
        }
        List<InboundEvent> events = new ArrayList<>();
        events.add(first);
        queue.drainTo(events, maxPerTransaction - 1);
        if (lastTransactionSize >= LINGER_FROM) {
          linger(events);
        }
        lastTransactionSize = events.size();
        applyUntilStored(events);
        dequeued(events);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!queue.isEmpty()) {
        log.warn("stopping with {} received results not applied", queue.size());
      }
      stopped.countDown();
    }
  }

  /**
   * Waits up to {@link #LINGER_NANOS} for {@code events} to reach {@link #LINGER_TARGET}: only when
   * the last transaction was not small, so a result at light load is applied at once.
   */
  void linger(List<InboundEvent> events) throws InterruptedException {
    int target = Math.min(LINGER_TARGET, maxPerTransaction);
    long deadline = System.nanoTime() + LINGER_NANOS;
    while (events.size() < target && !stopRequested) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      InboundEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      events.add(next);
      queue.drainTo(events, maxPerTransaction - events.size());
    }
  }

  /** Applies everything queued now. For tests; not while the loop runs. */
  public int runOnce() throws InterruptedException {
    List<InboundEvent> events = new ArrayList<>();
    queue.drainTo(events);
    if (!events.isEmpty()) {
      applyUntilStored(events);
      dequeued(events);
    }
    return events.size();
  }

  private void dequeued(List<InboundEvent> events) {
    int results = (int) events.stream().filter(ResultReceived.class::isInstance).count();
    if (results > 0) {
      queuedResults.addAndGet(-results);
    }
  }

  private void applyUntilStored(List<InboundEvent> events) throws InterruptedException {
    while (true) {
      try {
        applyTogether(events);
        return;
      } catch (RuntimeException e) {
        if (e instanceof TaskerDatabaseException && isConnectionFailure(e)) {
          log.warn("database unreachable ({}); holding {} results until it is back", e.getMessage(), events.size());
          Thread.sleep(RECONNECT_PAUSE_MS);
          continue;
        }
        if (events.size() == 1) {
          try (LogIds ids = idsOf(events.get(0))) {
            log.error("could not apply {}: {}", describe(events.get(0)), e.getMessage(), e);
          }
          return;
        }
        log.warn("applying {} results together failed ({}); applying them one by one", events.size(), e.getMessage());
        for (InboundEvent event : events) {
          applyUntilStored(List.of(event));
        }
        return;
      }
    }
  }

  private void applyTogether(List<InboundEvent> events) {
    List<ResultReceived> results = new ArrayList<>();
    List<InboundEvent> others = new ArrayList<>();
    for (InboundEvent event : events) {
      if (event instanceof ResultReceived result) {
        results.add(result);
      } else {
        others.add(event);
      }
    }
    long started = System.nanoTime();
    ClaimRound[] round = new ClaimRound[1];
    Applied applied;
    try {
      applied = Transactions.inTransaction(
          dataSource,
          "applying " + events.size() + " received messages",
          connection -> {
            boolean requeued = false;
            for (InboundEvent other : others) {
              requeued |= WorkerEventStore.apply(connection, other, self);
            }
            Decisions decided = new Decisions();
            ResultTally tally = null;
            List<ResultStore.ReadyStep> ready = List.of();
            if (!results.isEmpty()) {
              ResultSnapshot snapshot = ResultStore.load(connection, results);
              RunTimeSteps.Settings creating = runTimeSteps;
              RunTimeSteps created = creating == null ? null : new RunTimeSteps(connection, creating);
              decided = new ResultDecider(backoff, created == null ? ResultDecider.StepCreator.NONE : created, snapshot)
                  .decide(results);
              if (created != null) {
                created.write();
              }
              ready = ResultStore.write(connection, decided);
              tally = ResultTally.of(decided, step -> {
                ResultSnapshot.StepRow row = snapshot.steps().get(step);
                return row == null ? null : row.handler();
              });
            }
            releaseCredit(results);
            if (round[0] != null) {
              round[0].abandon();
            }
            round[0] = claimChildren(connection, ready);
            int claimable = round[0] == null ? 0 : round[0].claimedSteps();
            return new Applied(decided, ready.size(), requeued || claimable < ready.size(), tally);
          });
    } catch (RuntimeException e) {
      if (round[0] != null) {
        round[0].abandon();
      }
      throw e;
    } finally {
      metrics.applyTransaction(System.nanoTime() - started);
    }
    if (applied.tally() != null) {
      applied.tally().recordTo(metrics);
    }
    int claimed = round[0] == null ? 0 : children.send().applyAsInt(round[0]);
    if (claimed > 0) {
      children.deadlinesSet().accept(round[0].earliestDeadlineMs());
    }
    if (log.isDebugEnabled()) {
      log.debug("applied {} messages in {} ms; {} children ready, {} sent at once", events.size(),
          (System.nanoTime() - started) / 1_000_000, applied.ready(), claimed);
    }
    Long retryDelay = applied.decisions().shortestRetryDelayMs();
    if (retryDelay != null) {
      retryScheduled.accept(retryDelay);
    }
    if (applied.stepsLeftReady()) {
      children.stepsReady().run();
    } else if (!results.isEmpty()) {
      children.creditFreed().run();
    }
    acknowledgeStored(applied.decisions().ledger);
  }

  /** Frees the workers' credit for the steps whose results are now stored. */
  private void releaseCredit(List<ResultReceived> results) {
    WorkerRegistry registry = children.registry();
    for (ResultReceived result : results) {
      if (result.message() instanceof PartialResult partial && partial.status().isTerminal()) {
        String workerId = result.senderWorkerId() != null ? result.senderWorkerId() : partial.workerId();
        registry.byWorkerId(workerId).ifPresent(session -> session.release(partial.stepId()));
      } else if (result.message() instanceof BatchCompletion completion && result.senderWorkerId() != null) {
        registry.byWorkerId(result.senderWorkerId()).ifPresent(session -> session.releaseBatch(completion.batchId()));
      }
    }
  }

  /** Claims, in this transaction, the children made ready, as far as workers have credit for them. */
  private ClaimRound claimChildren(Connection connection, List<ResultStore.ReadyStep> ready) throws SQLException {
    if (ready.isEmpty()) {
      return null;
    }
    Map<String, List<UUID>> byHandler = new LinkedHashMap<>();
    ready.forEach(step -> byHandler.computeIfAbsent(step.handler(), h -> new ArrayList<>()).add(step.stepId()));
    Map<String, Integer> wanted = new LinkedHashMap<>();
    byHandler.forEach((handler, steps) -> wanted.put(handler, steps.size()));
    ClaimRound round = ClaimRound.reserveFor(children.registry().sessions(), wanted);
    if (round.isEmpty()) {
      return null;
    }
    round.claim(connection, byHandler, children.settings());
    return round;
  }

  /** Tells each worker which of its results are now stored, so it can forget them. */
  private void acknowledgeStored(List<Decisions.LedgerRow> stored) {
    Map<String, List<Ack.ResultRef>> partials = new LinkedHashMap<>();
    Map<String, List<UUID>> completions = new LinkedHashMap<>();
    for (Decisions.LedgerRow row : stored) {
      if (row.workerId() == null) {
        continue;
      }
      if (row.stepId() != null) {
        partials.computeIfAbsent(row.workerId(), w -> new ArrayList<>())
            .add(new Ack.ResultRef(row.batchId(), row.stepId()));
      } else {
        completions.computeIfAbsent(row.workerId(), w -> new ArrayList<>()).add(row.batchId());
      }
    }
    Set<String> workers = new LinkedHashSet<>(partials.keySet());
    workers.addAll(completions.keySet());
    for (String worker : workers) {
      try {
        acknowledge.accept(worker, new Ack(
            partials.getOrDefault(worker, List.of()), completions.getOrDefault(worker, List.of())));
      } catch (RuntimeException e) {
        // The results are stored; a worker that misses an ACK sends them again and gets another.
        try (LogIds ids = LogIds.worker(worker)) {
          log.warn("could not acknowledge results to worker {}: {}", worker, e.getMessage());
        }
      }
    }
  }

  private record Applied(Decisions decisions, int ready, boolean stepsLeftReady, ResultTally tally) {}

  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  /** The batch and worker of a result, for the MDC of a line about it. */
  private static LogIds idsOf(InboundEvent event) {
    if (event instanceof ResultReceived result && result.message() instanceof PartialResult partial) {
      return LogIds.batch(partial.batchId(), result.senderWorkerId());
    }
    if (event instanceof ResultReceived result && result.message() instanceof BatchCompletion completion) {
      return LogIds.batch(completion.batchId(), result.senderWorkerId());
    }
    return LogIds.worker(null);
  }

  private static String describe(InboundEvent event) {
    if (event instanceof ResultReceived result) {
      return result.message().type().wireName() + " " + result.rawJson();
    }
    return event.toString();
  }
}
