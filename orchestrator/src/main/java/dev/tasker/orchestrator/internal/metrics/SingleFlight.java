package dev.tasker.orchestrator.internal.metrics;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Runs a database probe on a thread of its own, at most one at a time. A caller that cannot wait
 * for the pool's connection timeout (10 s when the database is down) waits on the future as long
 * as it can afford; asking again while the probe still runs joins it rather than queueing another,
 * so probes cannot pile up behind an unreachable database. Thread-safe.
 */
final class SingleFlight<T> implements AutoCloseable {

  private final Supplier<T> probe;
  private final ExecutorService executor;
  private CompletableFuture<T> running;

  SingleFlight(String threadName, Supplier<T> probe) {
    this.probe = probe;
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The probe running now, or a new one. */
  synchronized CompletableFuture<T> run() {
    if (running == null || running.isDone()) {
      running = CompletableFuture.supplyAsync(probe, executor);
    }
    return running;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
