package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.TaskerDatabaseException;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.transport.InboundEvent;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.orchestrator.internal.transport.InboundSink;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import dev.tasker.protocol.Ack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers report, in arrival order. It takes everything queued (up to a limit) and
 * applies it in one transaction: ledger rows, step state changes, transitions, children made
 * ready, batch reconciliation and task finalization, one statement per kind of row. Under load a
 * transaction carries many results; when idle each result is applied on its own at once.
 *
 * <p>If the database is unreachable, the results are kept in memory, in order, and applied when it
 * is back; nothing received is dropped. If a set of results fails for another reason, each is
 * applied on its own so one bad message cannot hold back the others. One thread.
 */
public final class ResultApplier implements Runnable, InboundSink {

  private static final Logger log = LoggerFactory.getLogger(ResultApplier.class);
  private static final long RECONNECT_PAUSE_MS = 500;

  private final DataSource dataSource;
  private final Clock clock;
  private final Backoff backoff;
  private final Runnable wakeDispatcher;
  private final Consumer<Instant> retryScheduled;
  private final int maxPerTransaction;
  private final String orchestratorId;
  private final BiConsumer<String, Ack> acknowledge;
  private final LinkedBlockingQueue<InboundEvent> queue = new LinkedBlockingQueue<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopRequested;

  public ResultApplier(
      DataSource dataSource,
      Clock clock,
      Backoff backoff,
      Runnable wakeDispatcher,
      Consumer<Instant> retryScheduled,
      int maxPerTransaction,
      String orchestratorId,
      BiConsumer<String, Ack> acknowledge) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.backoff = backoff;
    this.wakeDispatcher = wakeDispatcher;
    this.retryScheduled = retryScheduled;
    this.maxPerTransaction = maxPerTransaction;
    this.orchestratorId = orchestratorId;
    this.acknowledge = acknowledge;
  }

  @Override
  public void accept(InboundEvent event) {
    queue.add(event);
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
        applyUntilStored(events);
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

  /** Applies everything queued now. For tests; not while the loop runs. */
  public int runOnce() throws InterruptedException {
    List<InboundEvent> events = new ArrayList<>();
    queue.drainTo(events);
    if (!events.isEmpty()) {
      applyUntilStored(events);
    }
    return events.size();
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
          log.error("could not apply {}: {}", describe(events.get(0)), e.getMessage(), e);
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
    Applied applied =
        Transactions.inTransaction(
            dataSource,
            "applying " + events.size() + " received messages",
            connection -> {
              boolean stepsReady = false;
              for (InboundEvent other : others) {
                stepsReady |= WorkerEventStore.apply(connection, other, orchestratorId);
              }
              Decisions decided = new Decisions();
              if (!results.isEmpty()) {
                ResultSnapshot snapshot = ResultStore.load(connection, results);
                decided = new ResultDecider(clock, backoff, snapshot).decide(results);
                ResultStore.write(connection, decided);
              }
              return new Applied(decided, stepsReady);
            });
    if (log.isDebugEnabled()) {
      log.debug("applied {} messages in {} ms", events.size(), (System.nanoTime() - started) / 1_000_000);
    }
    Instant earliestRetry = applied.decisions().earliestRetry();
    if (earliestRetry != null) {
      retryScheduled.accept(earliestRetry);
    }
    // Always: even a result that changed nothing gave its worker's credit back.
    wakeDispatcher.run();
    acknowledgeStored(applied.decisions().ledger);
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
        log.warn("could not acknowledge results to worker {}: {}", worker, e.getMessage());
      }
    }
  }

  private record Applied(Decisions decisions, boolean stepsRequeued) {}

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

  private static String describe(InboundEvent event) {
    if (event instanceof ResultReceived result) {
      return result.message().type().wireName() + " " + result.rawJson();
    }
    return event.toString();
  }
}
