package dev.tasker.cli;

import dev.tasker.examples.ExampleTemplates;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.protocol.Ids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker demo}: the whole system on one machine, with a visible summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole system with example workflows and print a summary line.",
      "Starts PostgreSQL (embedded, or TASKER_DATABASE_URL), the orchestrator and Java worker",
      "processes over TCP; runs order fulfillment and diamond tasks; prints one summary line:",
      "  demo: tasks=<n> complete=<n> error=<n> steps=<n> elapsed_ms=<n>",
      "Exits 0 only when every task completed."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--orders", defaultValue = "60", description = "Order fulfillment tasks (default: ${DEFAULT-VALUE}).")
  int orders;

  @Option(names = "--diamonds", defaultValue = "60", description = "Diamond tasks (default: ${DEFAULT-VALUE}).")
  int diamonds;

  @Option(names = "--workers", defaultValue = "2", description = "Java worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

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
    try (LocalSystem system =
        LocalSystem.start(databaseUrl, ExampleTemplates.ALL, OrchestratorConfig.DEFAULT_BATCH_SIZE)) {
      System.out.println("  database:     " + system.database.description());
      Orchestrator orchestrator = system.orchestrator;
      System.out.println("  orchestrator: " + orchestrator.tcpEndpoint());
      try (WorkerProcesses processes =
          WorkerProcesses.start(workers, orchestrator.tcpEndpoint(), concurrency, "demo-" + run.substring(24) + "-", logs)) {
        System.out.println("  workers:      " + workers + " Java worker processes, logs in " + logs);
        awaitWorkers(orchestrator, processes);
        return runWorkload(orchestrator.client(), run);
      }
    }
  }

  private void awaitWorkers(Orchestrator orchestrator, WorkerProcesses processes) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (orchestrator.registeredWorkers() < workers) {
      if (System.nanoTime() > deadline || processes.alive() < workers) {
        throw new IllegalStateException(orchestrator.registeredWorkers() + " of " + workers
            + " workers registered; see " + processes.logs());
      }
      Thread.sleep(50);
    }
  }

  private int runWorkload(TaskerClient client, String run) throws InterruptedException {
    List<TaskRequest> requests = DemoWorkload.requests(run, orders, diamonds);
    int steps = 4 * requests.size();
    System.out.println("  workload:     " + orders + " order fulfillment + " + diamonds + " diamond tasks (" + steps
        + " steps)");
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
