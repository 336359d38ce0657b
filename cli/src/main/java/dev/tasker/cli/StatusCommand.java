package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.Step;
import dev.tasker.client.Task;
import dev.tasker.client.Worker;
import dev.tasker.orchestrator.BatchCounts;
import dev.tasker.orchestrator.Discrepancy;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.OrchestratorSnapshot;
import dev.tasker.orchestrator.StateCounts;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.WorkerSnapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tasker status}: what the database says, or with {@code --api} what an orchestrator's HTTP
 * API says (task and step counts and workers; no batches, orchestrators or discrepancies).
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show tasks, steps, batches, orchestrators and workers by state.",
      "One task and its steps with --task; reconciliation discrepancies with --discrepancies.",
      "With --api URL (or TASKER_API_URL) through an orchestrator's HTTP API: counts and workers only."
    })
final class StatusCommand implements Callable<Integer> {

  private static final List<String> TASK_STATES =
      Arrays.stream(TaskState.values()).map(TaskState::dbName).toList();
  private static final List<String> STEP_STATES =
      Arrays.stream(StepState.values()).map(StepState::dbName).toList();

  @Option(names = "--task", description = "Show this task and its steps.")
  UUID taskId;

  @Option(names = "--discrepancies", description = "List the most recent reconciliation discrepancies.")
  boolean discrepancies;

  @Mixin ApiOptions api;

  @Override
  public Integer call() {
    if (api.enabled()) {
      return throughApi();
    }
    try (DatabaseAccess tasker = new DatabaseAccess("tasker status", TemplateRegistry.empty())) {
      TaskerClient client = tasker.client;
      if (taskId != null) {
        return showTask(tasker);
      }
      if (discrepancies) {
        for (Discrepancy found : client.discrepancies(100)) {
          System.out.println("discrepancy: batch=" + found.batchId() + " worker=" + found.workerId()
              + (found.stepId() == null ? "" : " step=" + found.stepId()) + " kind=" + found.kind()
              + " at=" + found.recordedAt() + " detail=" + found.detail());
        }
        return 0;
      }
      StateCounts counts = client.counts();
      System.out.println("tasks: " + countsLine(byName(counts.tasks()), TASK_STATES));
      System.out.println("steps: " + countsLine(byName(counts.steps()), STEP_STATES));
      BatchCounts batches = client.batchCounts();
      System.out.println("batches: " + batches.byState() + " reconciliation=" + batches.byReconciliation()
          + " discrepancies=" + batches.discrepancies());
      long liveness = OrchestratorConfig.DEFAULT_HEARTBEAT_INTERVAL_MS * OrchestratorConfig.DEFAULT_HEARTBEAT_LIVENESS;
      for (OrchestratorSnapshot orchestrator : client.orchestrators(20)) {
        String state = orchestrator.stoppedAt() != null ? "stopped"
            : orchestrator.alive(liveness) ? "running" : "silent";
        System.out.println("orchestrator: " + orchestrator.orchestratorId() + " state=" + state + " host="
            + orchestrator.host() + " endpoints=" + orchestrator.endpoints() + " started=" + orchestrator.startedAt()
            + " last_heartbeat=" + orchestrator.sinceHeartbeatMs() + "ms_ago");
      }
      for (WorkerSnapshot worker : client.workers()) {
        printWorker(worker.workerId(), worker.language(), worker.state(), worker.concurrency(), worker.lastHeartbeatAt(),
            worker.handlers());
      }
      return 0;
    }
  }

  // The API has no batches, orchestrators or discrepancies: those lines are the database's alone.
  private int throughApi() {
    if (discrepancies) {
      throw new IllegalArgumentException("--discrepancies cannot be used with --api: the HTTP API does not list"
          + " reconciliation discrepancies; run it on the database (TASKER_DATABASE_URL)");
    }
    try (ApiAccess tasker = new ApiAccess(api.client())) {
      if (taskId != null) {
        return showTask(tasker);
      }
      JsonNode overview = tasker.client().overview();
      System.out.println("tasks: " + countsLine(byName(overview.path("tasks")), TASK_STATES));
      System.out.println("steps: " + countsLine(byName(overview.path("steps")), STEP_STATES));
      for (Worker worker : tasker.client().workers()) {
        printWorker(worker.workerId(), worker.language(), worker.state(), worker.concurrency(), worker.lastHeartbeatAt(),
            worker.handlers());
      }
      return 0;
    }
  }

  private static void printWorker(String id, String language, String state, int concurrency, Instant lastHeartbeat,
      List<String> handlers) {
    System.out.println("worker: " + id + " " + language + " state=" + state + " concurrency=" + concurrency
        + " last_heartbeat=" + lastHeartbeat + " handlers=" + handlers);
  }

  private int showTask(TaskerAccess tasker) {
    Task task = tasker.task(taskId).orElse(null);
    if (task == null) {
      System.err.println("tasker status: no task " + taskId);
      return 1;
    }
    System.out.println("task " + task.taskId() + " " + task.template() + " state=" + task.state()
        + " created=" + task.createdAt() + (task.completedAt() == null ? "" : " finished=" + task.completedAt()));
    System.out.println("context: " + task.context());
    for (Step step : task.steps()) {
      boolean satisfied = step.state().equals("complete") || step.state().equals("resolved_manually");
      System.out.printf("  %-24s %-18s attempts=%d/%d %s%n", step.name(), step.state(), step.attempts(),
          step.maxAttempts(),
          step.lastError() != null && !satisfied
              ? "error=" + step.lastError().path("error_type").asText() + ": " + step.lastError().path("message").asText()
              : step.output() == null ? "" : "result=" + abbreviate(step.output().toString()));
    }
    return 0;
  }

  /**
   * {@code total=N state=n ...}: the states in their lifecycle order (any the CLI does not know
   * after them), so the database and the API print the same line.
   */
  static String countsLine(Map<String, Long> byState, List<String> order) {
    StringBuilder text = new StringBuilder("total=" + byState.values().stream().mapToLong(Long::longValue).sum());
    Map<String, Long> rest = new TreeMap<>(byState);
    for (String state : order) {
      Long n = rest.remove(state);
      if (n != null) {
        text.append(' ').append(state).append('=').append(n);
      }
    }
    rest.forEach((state, n) -> text.append(' ').append(state).append('=').append(n));
    return text.toString();
  }

  private static Map<String, Long> byName(Map<? extends Enum<?>, Long> counts) {
    Map<String, Long> names = new HashMap<>();
    counts.forEach((state, n) -> names.put(state.name().toLowerCase(Locale.ROOT), n));
    return names;
  }

  private static Map<String, Long> byName(JsonNode counts) {
    Map<String, Long> names = new HashMap<>();
    counts.fieldNames().forEachRemaining(state -> names.put(state, counts.get(state).asLong()));
    return names;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 97) + "...";
  }
}
