package dev.tasker.cli;

import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's workers: Java workers serving {@code bench.noop}, in the bench's own JVM (default: one
 * JIT and heap, warmed once, like the peers' single-process benchmarks) or as worker processes
 * ({@code tasker worker --handlers bench}). Either way they reach the orchestrator over TCP.
 */
final class BenchWorkers implements AutoCloseable {

  private final List<StepWorker> inProcess;
  private final WorkerProcesses processes;

  private BenchWorkers(List<StepWorker> inProcess, WorkerProcesses processes) {
    this.inProcess = inProcess;
    this.processes = processes;
  }

  /** @param endpoint the orchestrators' endpoints, comma-separated */
  static BenchWorkers start(boolean asProcesses, int count, String endpoint, int concurrency, String idPrefix)
      throws Exception {
    if (asProcesses) {
      return new BenchWorkers(List.of(), WorkerProcesses.start(count, endpoint, concurrency, idPrefix,
          Path.of(".tasker", "bench"), "bench", List.of()));
    }
    List<StepWorker> workers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      workers.add(StepWorker.builder()
          .endpoints(List.of(endpoint.split(",")))
          .workerId(idPrefix + i)
          .handler(BenchHandler.NAME, new BenchHandler())
          .concurrency(concurrency)
          .build()
          .start());
    }
    return new BenchWorkers(workers, null);
  }

  /** How many were started. */
  int started() {
    return processes != null ? processes.started() : inProcess.size();
  }

  /** Whether every worker is still running. */
  boolean allAlive() {
    if (processes != null) {
      return processes.alive() == processes.started();
    }
    return inProcess.stream().allMatch(w -> w.state() == StepWorker.State.RUNNING);
  }

  /** Where to look when one stopped. */
  String where() {
    return processes != null ? "the logs " + processes.logs() : "the log above";
  }

  /** Waits until every worker is registered (in-process workers only; processes are checked by id). */
  void awaitRegistered() throws InterruptedException {
    for (StepWorker worker : inProcess) {
      if (!worker.awaitRegistered(Duration.ofSeconds(60))) {
        throw new IllegalStateException("bench worker " + worker.workerId() + " did not register");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    inProcess.forEach(StepWorker::close);
    if (processes != null) {
      processes.close();
    }
  }
}
