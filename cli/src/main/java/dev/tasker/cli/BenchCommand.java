package dev.tasker.cli;

import dev.tasker.cli.BenchReadings.Drain;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.protocol.Ids;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasker bench}: what users compare, measured against a real PostgreSQL with the
 * orchestrator in this process and workers over TCP. One line per phase, then a summary line; see
 * {@code docs/performance.md}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure throughput and latency of the orchestrator and workers.",
      "The orchestrator runs in this process, workers over TCP (in this process too,",
      "or as processes with --worker-processes).",
      "After an unmeasured warm-up, the phases, one line each:",
      "  create        tasks created one at a time (--creates), then as many through",
      "                the HTTP API (POST /v1/tasks), then in bulk",
      "  drain_single  single-step tasks queued first, then the workers start",
      "  drain_dag     diamond tasks (fan-out and fan-in), the same way",
      "  saturation    the hops of drain_dag while it drains",
      "  latency       4-step linear tasks one at a time at idle",
      "A hop is a parent step's end to its child's start. Then one summary line:",
      "  bench: drain_single_steps_per_s= drain_dag_steps_per_s=",
      "  hop_p50_ms= hop_p99_ms= task4_p50_ms= create_p50_ms= api_create_p50_ms=",
      "  bulk_create_per_s= saturation_hop_p50_ms=",
      "(hop_* and task4_* there are the latency phase's).",
      "With --backlog N: the warm-up, then N single-step tasks drained, with",
      "steps/s per tenth of them, instead of the phases.",
      "Database: --database-url, else TASKER_DATABASE_URL, else an embedded one",
      "(durable). Use an empty database. With --orchestrators N, N orchestrators",
      "share it and every worker serves all of them (docs/scaling.md).",
      "See docs/performance.md."
    })
final class BenchCommand implements Callable<Integer> {

  private static final List<String> TEMPLATES =
      List.of("bench/single.yaml", "bench/linear.yaml", "bench/diamond.yaml");
  private static final int BULK = 1000;

  @Option(names = "--creates", defaultValue = "1000", description = "Tasks created one at a time (default: ${DEFAULT-VALUE}).")
  int creates;

  @Option(names = "--single", defaultValue = "50000", description = "Single-step tasks to drain (default: ${DEFAULT-VALUE}).")
  int single;

  @Option(names = "--dag", defaultValue = "20000", description = "Diamond tasks to drain (default: ${DEFAULT-VALUE}).")
  int dag;

  @Option(names = "--latency", defaultValue = "200", description = "Linear 4-step tasks run one at a time (default: ${DEFAULT-VALUE}).")
  int latency;

  @Option(names = "--warm-up", defaultValue = "20000",
      description = "Steps run before measuring, so that the JVM's code is compiled (default: ${DEFAULT-VALUE}).")
  int warmUp;

  @Option(names = "--backlog", defaultValue = "0",
      description = "Drain a backlog of this many single-step tasks (up to 1000000) instead of the phases.")
  int backlog;

  @Option(names = "--orchestrators", defaultValue = "1",
      description = "Orchestrators on the same database, each a full instance with its own pool and endpoint;"
          + " workers connect to all of them (default: ${DEFAULT-VALUE}, at most 8).")
  int orchestrators;

  @Option(names = "--workers", defaultValue = "2", description = "Workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--worker-processes",
      description = "Run the workers as separate processes (tasker worker) instead of in this JVM.")
  boolean workerProcesses;

  @Option(names = "--concurrency", defaultValue = "128", description = "Credit of each worker (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--batch-size", defaultValue = "100", description = "Steps per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--database-url", description = "Database to use instead of TASKER_DATABASE_URL or the embedded one.")
  String databaseUrl;

  @Option(names = "--http-endpoint", defaultValue = "127.0.0.1:0",
      description = "Where the first orchestrator's HTTP API listens, or off to measure without it"
          + " (default: ${DEFAULT-VALUE}, any free port).")
  String httpEndpoint;

  private final String run = Ids.newId().toString();
  private int workerGeneration;
  private LocalSystem system;
  private BenchReadings readings;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    try (LocalSystem started = LocalSystem.start(databaseUrl, TEMPLATES, batchSize, orchestrators, httpEndpoint)) {
      system = started;
      readings = new BenchReadings(system.pool);
      System.out.println("bench: database " + system.database.description());
      System.out.println("bench: orchestrators " + orchestrators + " at " + system.endpoints() + ", HTTP "
          + system.orchestrator.httpUrl().orElse("off"));
      warmUp();
      return backlog > 0 ? backlogRun() : phases();
    }
  }

  /** Refuses option values the phases cannot measure, before anything starts. */
  private void checkOptions() {
    if (backlog < 0 || backlog > 1_000_000) {
      throw new IllegalArgumentException("--backlog must be from 0 to 1000000 but was " + backlog);
    }
    atLeast("--warm-up", warmUp, 0);
    atLeast("--workers", workers, 1);
    if (orchestrators < 1 || orchestrators > 8) {
      throw new IllegalArgumentException("--orchestrators must be from 1 to 8 but was " + orchestrators);
    }
    atLeast("--concurrency", concurrency, 1);
    atLeast("--batch-size", batchSize, 1);
    if (backlog == 0) {
      atLeast("--creates", creates, 1);
      atLeast("--single", single, 1);
      atLeast("--dag", dag, 1);
      atLeast("--latency", latency, 1);
    }
  }

  private static void atLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " must be at least " + minimum + " but was " + value);
    }
  }

  /** Runs steps unmeasured, through every path the phases take, so that they measure compiled code. */
  private void warmUp() throws Exception {
    if (warmUp == 0) {
      return;
    }
    long started = System.nanoTime();
    String tag = tag("warm_up");
    UUID lastSingle = createInBulk("single_step", tag, warmUp / 2, 0);
    UUID lastDiamond = createInBulk("diamond", tag, warmUp / 8, warmUp);
    try (BenchWorkers running = startWorkers()) {
      drain("warm_up", tag, warmUp, lastSingle, running);
      drain("warm_up", tag, warmUp, lastDiamond, running);
      runOneAtATime(tag("warm_up_one_by_one"), Math.min(100, warmUp / 100), new double[Math.min(100, warmUp / 100)],
          new HashMap<>());
    }
    String url = system.orchestrator.httpUrl().orElse(null);
    if (url != null) {
      BenchApiCreates.warmUp(url, run, tag("warm_up_api"), Math.max(200, warmUp / 10));
    }
    print("bench: phase=warm_up steps=%d elapsed_ms=%d", warmUp, (System.nanoTime() - started) / 1_000_000);
  }

  private int phases() throws Exception {
    String singleTag = tag("drain_single");
    double[] createMs = createOneByOne("single_step", singleTag, creates);
    String url = system.orchestrator.httpUrl().orElse(null);
    double[] apiCreateMs = url == null ? new double[0]
        : BenchApiCreates.createOneByOne(url, run, singleTag, creates, creates);
    long bulkStarted = System.nanoTime();
    UUID lastSingle = createInBulk("single_step", singleTag, single, creates + apiCreateMs.length);
    double bulkPerSecond = single / ((System.nanoTime() - bulkStarted) / 1e9);
    print("bench: phase=create creates=%d create_p50_ms=%.2f create_p99_ms=%.2f api_create_p50_ms=%s"
            + " api_create_p99_ms=%s bulk_tasks=%d bulk_create_per_s=%.0f",
        creates, percentile(createMs, 50), percentile(createMs, 99), apiFigure(apiCreateMs, 50),
        apiFigure(apiCreateMs, 99), single, bulkPerSecond);

    int singleTasks = creates + apiCreateMs.length + single;
    Drain drainSingle;
    try (BenchWorkers running = startWorkers()) {
      drainSingle = drain("drain_single", singleTag, singleTasks, lastSingle, running);
    }
    print("bench: phase=drain_single tasks=%d steps=%d elapsed_ms=%d steps_per_s=%.0f not_complete=%d",
        singleTasks, drainSingle.steps(), drainSingle.elapsedMicros() / 1000, drainSingle.stepsPerSecond(),
        drainSingle.notComplete());

    String dagTag = tag("drain_dag");
    UUID lastDiamond = createInBulk("diamond", dagTag, dag, 0);
    Drain drainDag;
    Latency light;
    try (BenchWorkers running = startWorkers()) {
      drainDag = drain("drain_dag", dagTag, dag, lastDiamond, running);
      light = latency(tag("latency"), running);
    }
    print("bench: phase=drain_dag tasks=%d steps=%d elapsed_ms=%d steps_per_s=%.0f not_complete=%d",
        dag, drainDag.steps(), drainDag.elapsedMicros() / 1000, drainDag.stepsPerSecond(), drainDag.notComplete());
    double[] saturation = millis(readings.hops(dagTag));
    print("bench: phase=saturation hops=%d hop_p50_ms=%.2f hop_p99_ms=%.2f",
        saturation.length, percentile(saturation, 50), percentile(saturation, 99));
    print("bench: phase=latency tasks=%d task4_p50_ms=%.2f task4_p99_ms=%.2f hop_p50_ms=%.2f hop_p99_ms=%.2f"
            + " first_start_p50_ms=%.2f",
        latency, percentile(light.endToEndMs(), 50), percentile(light.endToEndMs(), 99),
        percentile(light.hopMs(), 50), percentile(light.hopMs(), 99), percentile(light.firstStartMs(), 50));

    print("bench: drain_single_steps_per_s=%.0f drain_dag_steps_per_s=%.0f hop_p50_ms=%.2f hop_p99_ms=%.2f"
            + " task4_p50_ms=%.2f create_p50_ms=%.2f api_create_p50_ms=%s bulk_create_per_s=%.0f"
            + " saturation_hop_p50_ms=%.2f",
        drainSingle.stepsPerSecond(), drainDag.stepsPerSecond(), percentile(light.hopMs(), 50),
        percentile(light.hopMs(), 99), percentile(light.endToEndMs(), 50), percentile(createMs, 50),
        apiFigure(apiCreateMs, 50), bulkPerSecond,
        percentile(saturation, 50));
    return outcome(drainSingle.notComplete() + drainDag.notComplete());
  }

  private int backlogRun() throws Exception {
    String backlogTag = tag("backlog");
    long started = System.nanoTime();
    UUID last = createInBulk("single_step", backlogTag, backlog, 0);
    print("bench: phase=create bulk_tasks=%d bulk_create_per_s=%.0f", backlog,
        backlog / ((System.nanoTime() - started) / 1e9));
    Drain drained;
    try (BenchWorkers running = startWorkers()) {
      drained = drain("backlog", backlogTag, backlog, last, running);
    }
    double[] rates = drained.decileRates();
    StringBuilder line = new StringBuilder();
    for (double rate : rates) {
      line.append(line.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", rate));
    }
    print("bench: phase=backlog steps=%d elapsed_ms=%d steps_per_s=%.0f not_complete=%d steps_per_s_by_tenth=%s",
        drained.steps(), drained.elapsedMicros() / 1000, drained.stepsPerSecond(), drained.notComplete(), line);
    print("bench: backlog_steps=%d backlog_steps_per_s=%.0f first_tenth_steps_per_s=%.0f last_tenth_steps_per_s=%.0f"
            + " last_to_first=%.2f",
        drained.steps(), drained.stepsPerSecond(), rates[0], rates[rates.length - 1], rates[rates.length - 1] / rates[0]);
    return outcome(drained.notComplete());
  }

  /** 0, or 1 with the reason when some measured tasks did not complete (the figures are not valid). */
  private static int outcome(long notComplete) {
    if (notComplete == 0) {
      return 0;
    }
    System.err.println("tasker bench: " + notComplete + " measured tasks did not complete before the drain's timeout;"
        + " the figures above do not describe a full drain (see the log for errors)");
    return 1;
  }

  /** Creates tasks one at a time from one thread; returns each call's duration in milliseconds. */
  private double[] createOneByOne(String template, String tag, int count) {
    TaskerClient client = system.orchestrator.client();
    double[] durations = new double[count];
    for (int i = 0; i < count; i++) {
      TaskRequest request = request(template, tag, i);
      long before = System.nanoTime();
      client.initializeTask(request);
      durations[i] = (System.nanoTime() - before) / 1e6;
    }
    return durations;
  }

  /**
   * Creates tasks {@value #BULK} at a time.
   *
   * @param firstIndex the index (in the tasks' context and idempotency key) of the first
   * @return the id of the last task created, or {@code null} when none was
   */
  private UUID createInBulk(String template, String tag, int count, int firstIndex) {
    TaskerClient client = system.orchestrator.client();
    UUID last = null;
    for (int from = 0; from < count; from += BULK) {
      List<TaskRequest> requests = new ArrayList<>(BULK);
      for (int i = from; i < Math.min(count, from + BULK); i++) {
        requests.add(request(template, tag, firstIndex + i));
      }
      List<CreatedTask> created = client.initializeTasks(requests);
      last = created.get(created.size() - 1).taskId();
    }
    return last;
  }

  /**
   * Waits until every task tagged {@code tag} has finished. The tasks drain in creation order, so
   * the bench watches the last one (a read by key) and counts the unfinished ones, which reads them
   * all, only once it is done: the bench must not load the database it measures.
   */
  private Drain drain(String phase, String tag, long tasks, UUID lastTask, BenchWorkers running) throws Exception {
    if (lastTask == null) {
      return readings.drain(tag);
    }
    long timeoutNanos = TimeUnit.SECONDS.toNanos(Math.max(600, tasks / 200));
    try (Connection connection = system.pool.getConnection()) {
      long deadline = System.nanoTime() + timeoutNanos;
      while (!readings.finished(connection, lastTask) || readings.unfinished(tag) > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(phase + ": tasks did not finish within " + timeoutNanos / 1_000_000_000 + " s");
        }
        if (!running.allAlive()) {
          throw new IllegalStateException(phase + ": a worker stopped; see " + running.where());
        }
        Thread.sleep(100);
      }
    }
    return readings.drain(tag);
  }

  /** Linear tasks one at a time, each waited for. */
  private record Latency(double[] endToEndMs, double[] hopMs, double[] firstStartMs) {}

  private Latency latency(String tag, BenchWorkers running) throws Exception {
    if (latency == 0) {
      return new Latency(new double[0], new double[0], new double[0]);
    }
    running.awaitRegistered();
    Map<UUID, Long> createdAt = new HashMap<>();
    double[] endToEnd = new double[latency];
    runOneAtATime(tag, latency, endToEnd, createdAt);
    Map<UUID, Long> firstStarts = readings.startNanos(tag, "s1");
    double[] firstStart = createdAt.entrySet().stream()
        .filter(e -> firstStarts.containsKey(e.getKey()))
        .mapToDouble(e -> (firstStarts.get(e.getKey()) - e.getValue()) / 1e6).toArray();
    return new Latency(endToEnd, millis(readings.hops(tag)), firstStart);
  }

  /** Creates linear tasks one at a time and waits for each (polling its row every 0.2 ms). */
  private void runOneAtATime(String tag, int count, double[] endToEnd, Map<UUID, Long> createdAt) throws Exception {
    TaskerClient client = system.orchestrator.client();
    try (Connection connection = system.pool.getConnection()) {
      for (int i = 0; i < count; i++) {
        long before = System.nanoTime();
        CreatedTask task = client.initializeTask(request("linear_four", tag, i));
        createdAt.put(task.taskId(), before);
        long deadline = before + TimeUnit.SECONDS.toNanos(30);
        while (!readings.finished(connection, task.taskId())) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("task " + task.taskId() + " did not finish within 30 s");
          }
          LockSupport.parkNanos(1_000_000);
        }
        endToEnd[i] = (System.nanoTime() - before) / 1e6;
      }
    }
  }

  private BenchWorkers startWorkers() throws Exception {
    String prefix = "bench-" + run.substring(24) + "-" + ++workerGeneration + "-";
    return BenchWorkers.start(workerProcesses, workers, system.endpoints(), concurrency, prefix);
  }

  private TaskRequest request(String template, String tag, int index) {
    return TaskRequest.builder("bench", template)
        .context(Map.of("run", run, "index", index))
        .idempotencyKey(tag + ":" + index)
        .sourceSystem("tasker-bench")
        .reason(tag)
        .build();
  }

  /** A percentile of the API phase, or n/a when the HTTP server is off. */
  private static String apiFigure(double[] millis, int percentile) {
    return millis.length == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", percentile(millis, percentile));
  }

  private String tag(String phase) {
    return "bench " + run + " " + phase;
  }

  private static double[] millis(long[] nanos) {
    return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
  }

  static double percentile(double[] values, int percentile) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
