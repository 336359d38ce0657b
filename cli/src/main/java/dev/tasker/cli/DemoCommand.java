package dev.tasker.cli;

import dev.tasker.examples.ExampleTemplates;
import dev.tasker.examples.csvinventory.InventoryCsv;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.protocol.Ids;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker demo}: the whole system on one machine, with a visible summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole system on example workflows and print a summary.",
      "Starts PostgreSQL (embedded, or TASKER_DATABASE_URL), the orchestrator,",
      "Java worker processes and (when Ruby is available) a Ruby worker process",
      "over TCP; runs order fulfillment, diamond, mixed Java+Ruby (polyglot),",
      "approval routing (a decision point) and CSV inventory (batch workers with",
      "checkpoints) tasks; prints one summary line:",
      "  demo: tasks=<n> complete=<n> error=<n> steps=<n> elapsed_ms=<n>",
      "Exits 0 only when every task completed."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--orders", defaultValue = "60", description = "Order fulfillment tasks (default: ${DEFAULT-VALUE}).")
  int orders;

  @Option(names = "--diamonds", defaultValue = "60", description = "Diamond tasks (default: ${DEFAULT-VALUE}).")
  int diamonds;

  @Option(names = "--polyglot", defaultValue = "30",
      description = "Mixed Java+Ruby tasks, run when a Ruby worker is started (default: ${DEFAULT-VALUE}).")
  int polyglot;

  @Option(names = "--approvals", defaultValue = "3",
      description = "Approval routing tasks, amounts cycling through 500, 3000 and 10000 (default: ${DEFAULT-VALUE}).")
  int approvals;

  @Option(names = "--csv", defaultValue = "1",
      description = "CSV inventory tasks over a generated file of 1000 products (default: ${DEFAULT-VALUE}).")
  int csvs;

  @Option(names = "--workers", defaultValue = "2", description = "Java worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--ruby", defaultValue = "auto",
      description = "Start a Ruby worker: auto (when Ruby and its gems are installed), yes or no (default: ${DEFAULT-VALUE}).")
  String ruby;

  @Option(names = "--stay",
      description = "After the summary, keep everything running (dashboard, API, workers) until Ctrl-C.")
  boolean stay;

  @Option(names = "--http-endpoint", defaultValue = OrchestratorConfig.DEFAULT_HTTP_ENDPOINT,
      description = "Where the API and dashboard listen, or off (default: ${DEFAULT-VALUE}; a free port when it is taken).")
  String httpEndpoint;

  @Option(names = "--concurrency", defaultValue = "16", description = "Steps each worker runs at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--timeout-seconds", defaultValue = "180", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--database-url", description = "Database to use instead of TASKER_DATABASE_URL or the embedded one.")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    String run = Ids.newId().toString();
    Path logs = Path.of(".tasker", "demo");
    System.out.println("Tasker demo " + run);
    try (LocalSystem system = LocalSystem.start(databaseUrl, ExampleTemplates.ALL,
        OrchestratorConfig.DEFAULT_BATCH_SIZE, 1, LocalPorts.freeOrAny(httpEndpoint))) {
      System.out.println("  database:     " + system.database.description());
      Orchestrator orchestrator = system.orchestrator;
      System.out.println("  orchestrator: " + orchestrator.tcpEndpoint());
      orchestrator.httpUrl().ifPresent(url -> System.out.println("  dashboard:    " + url + "/  (API: " + url
          + "/v1, metrics: " + url + "/metrics)"));
      try (WorkerProcesses processes =
          WorkerProcesses.start(workers, orchestrator.tcpEndpoint(), concurrency, "demo-" + run.substring(24) + "-", logs)) {
        System.out.println("  workers:      " + workers + " Java worker processes, logs in " + logs);
        int mixed = startRubyWorker(processes, orchestrator.tcpEndpoint(), "demo-" + run.substring(24) + "-ruby-1", logs);
        awaitWorkers(orchestrator, processes);
        Path csvFile = logs.resolve("inventory-" + run + ".csv");
        if (csvs > 0) {
          InventoryCsv.write(csvFile, DemoWorkload.CSV_ROWS, run.hashCode());
        }
        int status = runWorkload(orchestrator.client(), run, mixed, csvFile);
        if (stay) {
          stayUntilStopped(orchestrator);
        }
        return status;
      }
    }
  }

  private static void stayUntilStopped(Orchestrator orchestrator) throws InterruptedException {
    java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
    Signals.onTerminate(stop::countDown);
    System.out.println("staying up (--stay): " + orchestrator.httpUrl().map(url -> "dashboard at " + url + "/, ")
        .orElse("") + "workers connected; Ctrl-C stops everything");
    stop.await();
    System.out.println("stopping");
  }

  /** @return how many mixed Java+Ruby tasks to run: {@link #polyglot}, or 0 without a Ruby worker */
  private int startRubyWorker(WorkerProcesses processes, String endpoint, String workerId, Path logs)
      throws IOException {
    if (!List.of("auto", "yes", "no").contains(ruby)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ruby must be auto, yes or no but was '" + ruby + "'");
    }
    if (ruby.equals("no")) {
      System.out.println("  ruby worker:  not started (--ruby no); the polyglot workflow is left out");
      return 0;
    }
    RubyWorker.Availability found = RubyWorker.find();
    if (found.worker() == null) {
      if (ruby.equals("yes")) {
        throw new IllegalStateException("--ruby yes, but " + found.reason());
      }
      System.out.println("  ruby worker:  not started: " + found.reason() + "; the polyglot workflow is left out");
      return 0;
    }
    processes.add(found.worker().command(endpoint, concurrency, workerId,
        List.of("order_fulfillment.rb", "polyglot.rb", "approval_routing.rb", "csv_inventory.rb")),
        logs.resolve("ruby-worker-1.log"));
    System.out.println("  ruby worker:  1 Ruby worker process (order fulfillment, polyglot, approval and CSV handlers)");
    return polyglot;
  }

  private void awaitWorkers(Orchestrator orchestrator, WorkerProcesses processes) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    int expected = processes.started();
    while (orchestrator.registeredWorkers() < expected) {
      if (System.nanoTime() > deadline || processes.alive() < expected) {
        throw new IllegalStateException(orchestrator.registeredWorkers() + " of " + expected
            + " workers registered; see " + processes.logs());
      }
      Thread.sleep(50);
    }
  }

  private int runWorkload(TaskerClient client, String run, int mixed, Path csvFile) throws InterruptedException {
    List<TaskRequest> requests = DemoWorkload.requests(run, orders, diamonds, mixed, approvals, csvs, csvFile);
    int steps = DemoWorkload.steps(orders, diamonds, mixed, approvals, csvs);
    System.out.println("  workload:     " + orders + " order fulfillment + " + diamonds + " diamond + " + mixed
        + " polyglot + " + approvals + " approval + " + csvs + " CSV inventory tasks (" + steps + " steps)");
    long started = System.nanoTime();
    List<UUID> ids = new ArrayList<>();
    for (TaskRequest request : requests) {
      CreatedTask created = client.initializeTask(request);
      ids.add(created.taskId());
    }
    long deadline = started + timeoutSeconds * 1_000_000_000L;
    Map<TaskState, Long> states = states(client, ids);
    long lastPrint = 0;
    while (states.getOrDefault(TaskState.PENDING, 0L) + states.getOrDefault(TaskState.IN_PROGRESS, 0L) > 0
        && System.nanoTime() < deadline) {
      if (System.nanoTime() - lastPrint > 500_000_000L) {
        printProgress(states, ids.size());
        lastPrint = System.nanoTime();
      }
      Thread.sleep(100);
      states = states(client, ids);
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    printProgress(states, ids.size());
    printExamples(client, ids);
    long complete = states.getOrDefault(TaskState.COMPLETE, 0L);
    long error = states.getOrDefault(TaskState.ERROR, 0L);
    System.out.println("demo: tasks=" + ids.size() + " complete=" + complete + " error=" + error + " steps=" + steps
        + " elapsed_ms=" + elapsedMs);
    return complete == ids.size() ? 0 : 1;
  }

  /** The mixed workflow: how many completed and which language ran its steps, from their outputs. */
  private static void printPolyglot(TaskerClient client, List<UUID> ids) {
    int tasks = 0;
    int complete = 0;
    Map<String, Integer> stepsByLanguage = new java.util.TreeMap<>();
    String receipt = null;
    for (UUID id : ids) {
      TaskSnapshot task = client.task(id).orElseThrow();
      if (!task.template().startsWith("polyglot")) {
        continue;
      }
      tasks++;
      if (task.state() == TaskState.COMPLETE) {
        complete++;
        if (receipt == null) {
          receipt = task.step("send_receipt").orElseThrow().results().path("receipt").asText();
        }
      }
      for (var step : task.steps()) {
        var results = step.results();
        if (results == null) {
          continue;
        }
        results.fields().forEachRemaining(field -> {
          if (field.getKey().endsWith("_by")) {
            stepsByLanguage.merge(field.getValue().asText(), 1, Integer::sum);
          }
        });
      }
    }
    if (tasks > 0) {
      System.out.println("  polyglot:     " + complete + "/" + tasks + " mixed Java+Ruby tasks complete; steps run by "
          + stepsByLanguage + "; e.g. \"" + receipt + "\"");
    }
  }

  private static Map<TaskState, Long> states(TaskerClient client, List<UUID> ids) {
    return client.statesOf(ids);
  }

  private static void printProgress(Map<TaskState, Long> states, int total) {
    long complete = states.getOrDefault(TaskState.COMPLETE, 0L);
    long error = states.getOrDefault(TaskState.ERROR, 0L);
    System.out.println("progress: " + (complete + error) + "/" + total + " tasks finished (complete=" + complete
        + " error=" + error + ")");
  }

  private static void printExamples(TaskerClient client, List<UUID> ids) {
    printPolyglot(client, ids);
    DemoDynamicExamples.print(client, ids);
    for (UUID id : ids) {
      TaskSnapshot task = client.task(id).orElseThrow();
      if (task.template().startsWith("order_fulfillment") && task.state() == TaskState.COMPLETE) {
        System.out.println("  order " + task.context().path("order_id").asLong() + " shipped: "
            + task.step("ship_order").orElseThrow().results().path("tracking_number").asText());
        break;
      }
    }
    for (UUID id : ids) {
      TaskSnapshot task = client.task(id).orElseThrow();
      if (task.template().startsWith("diamond") && task.context().path("even_number").asInt() == 6
          && task.state() == TaskState.COMPLETE) {
        System.out.println("  diamond of 6 ends with "
            + task.step("diamond_end").orElseThrow().results().path("value").asLong() + " (6^16)");
        break;
      }
    }
  }
}
