package dev.tasker.cli;

import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.protocol.Ids;
import dev.tasker.worker.StepWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasker bench}: throughput and latency with workers in the same process (over TCP
 * loopback). Prints one line:
 * {@code bench: steps=<n> steps_per_s=<x> hop_p50_ms=<x> hop_p99_ms=<x> create_p50_ms=<x>}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure throughput and latency with co-located workers.",
      "Runs (a) independent single-step tasks, then (b) linear 4-step tasks. A hop is a parent's",
      "end to its child's start on a worker. Database: embedded, or TASKER_DATABASE_URL.",
      "Prints one line: bench: steps= steps_per_s= hop_p50_ms= hop_p99_ms= create_p50_ms="
    })
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--single", defaultValue = "20000", description = "Single-step tasks (default: ${DEFAULT-VALUE}).")
  int single;

  @Option(names = "--linear", defaultValue = "500", description = "Linear 4-step tasks (default: ${DEFAULT-VALUE}).")
  int linear;

  @Option(names = "--workers", defaultValue = "2", description = "Workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--concurrency", defaultValue = "256", description = "Steps per worker at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--submitters", defaultValue = "4", description = "Threads creating tasks (default: ${DEFAULT-VALUE}).")
  int submitters;

  @Option(names = "--batch-size", defaultValue = "100", description = "Steps per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--database-url", description = "Database to use instead of TASKER_DATABASE_URL or the embedded one.")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    BenchTimings timings = new BenchTimings();
    String run = Ids.newId().toString();
    try (LocalSystem system = LocalSystem.start(databaseUrl, List.of("bench/single.yaml", "bench/linear.yaml"), batchSize)) {
      List<StepWorker> started = new ArrayList<>();
      try {
        for (int i = 0; i < workers; i++) {
          StepWorker worker = StepWorker.builder().endpoint(system.orchestrator.tcpEndpoint())
              .handler("bench.noop", timings.handler()).concurrency(concurrency).build().start();
          worker.awaitRegistered(Duration.ofSeconds(30));
          started.add(worker);
        }
        System.out.println("bench: database " + system.database.description());
        TaskerClient client = system.orchestrator.client();
        List<Long> createNanos = Collections.synchronizedList(new ArrayList<>());
        Phase singlePhase = runPhase(client, "single_step", single, run, createNanos);
        Phase linearPhase = runPhase(client, "linear_four", linear, run, createNanos);
        report(singlePhase, linearPhase, timings, createNanos);
        return singlePhase.failed() + linearPhase.failed() == 0 ? 0 : 1;
      } finally {
        started.forEach(StepWorker::close);
      }
    }
  }

  private record Phase(String name, int tasks, int steps, long elapsedNanos, long failed) {}

  private Phase runPhase(TaskerClient client, String template, int tasks, String run, List<Long> createNanos)
      throws Exception {
    int stepsPerTask = template.equals("single_step") ? 1 : 4;
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    long started = System.nanoTime();
    List<Future<List<UUID>>> futures = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      int from = s;
      futures.add(pool.submit(() -> {
        List<UUID> ids = new ArrayList<>();
        for (int i = from; i < tasks; i += submitters) {
          TaskRequest request = TaskRequest.builder("bench", template)
              .context(Map.of("run", run, "index", i)).build();
          long before = System.nanoTime();
          ids.add(client.initializeTask(request).taskId());
          createNanos.add(System.nanoTime() - before);
        }
        return ids;
      }));
    }
    List<UUID> ids = new ArrayList<>();
    for (Future<List<UUID>> future : futures) {
      ids.addAll(future.get());
    }
    pool.shutdown();
    if (!client.awaitFinished(ids, Duration.ofMinutes(10), Duration.ofMillis(50))) {
      throw new IllegalStateException(template + ": tasks did not finish within 10 minutes");
    }
    long elapsed = System.nanoTime() - started;
    Map<TaskState, Long> states = client.statesOf(ids);
    long failed = ids.size() - states.getOrDefault(TaskState.COMPLETE, 0L);
    Phase phase = new Phase(template, tasks, tasks * stepsPerTask, elapsed, failed);
    System.out.printf(Locale.ROOT, "bench: phase=%s tasks=%d steps=%d elapsed_ms=%d steps_per_s=%.1f failed=%d%n",
        template, tasks, phase.steps(), elapsed / 1_000_000, phase.steps() / (elapsed / 1e9), failed);
    return phase;
  }

  private static void report(Phase a, Phase b, BenchTimings timings, List<Long> createNanos) {
    int steps = a.steps() + b.steps();
    double seconds = (a.elapsedNanos() + b.elapsedNanos()) / 1e9;
    long[] hops = timings.hops();
    Arrays.sort(hops);
    long[] creates = createNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "bench: steps=%d steps_per_s=%.1f hop_p50_ms=%.2f hop_p99_ms=%.2f create_p50_ms=%.2f%n",
        steps, steps / seconds, percentile(hops, 50), percentile(hops, 99), percentile(creates, 50));
  }

  private static double percentile(long[] sortedNanos, int percentile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
  }
}
