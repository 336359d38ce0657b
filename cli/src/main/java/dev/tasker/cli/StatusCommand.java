package dev.tasker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.BatchCounts;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.Discrepancy;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.OrchestratorSnapshot;
import dev.tasker.orchestrator.StateCounts;
import dev.tasker.orchestrator.StepSnapshot;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.WorkerSnapshot;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker status}: what the database says. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show tasks, steps, batches, orchestrators and workers by state.",
      "One task and its steps with --task; reconciliation discrepancies with --discrepancies."
    })
final class StatusCommand implements Callable<Integer> {

  @Option(names = "--task", description = "Show this task and its steps.")
  UUID taskId;

  @Option(names = "--discrepancies", description = "List the most recent reconciliation discrepancies.")
  boolean discrepancies;

  @Override
  public Integer call() {
    try (HikariDataSource pool = ConnectionPools.open(Databases.external("tasker status"), 2, "tasker-status")) {
      TaskerClient client = new TaskerClient(pool, TemplateRegistry.empty());
      if (taskId != null) {
        return showTask(client);
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
      System.out.println("tasks: total=" + counts.totalTasks() + " " + format(counts.tasks()));
      System.out.println("steps: total=" + counts.totalSteps() + " " + format(counts.steps()));
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
        System.out.println("worker: " + worker.workerId() + " " + worker.language() + " state=" + worker.state()
            + " concurrency=" + worker.concurrency() + " last_heartbeat=" + worker.lastHeartbeatAt()
            + " handlers=" + worker.handlers());
      }
      return 0;
    }
  }

  private int showTask(TaskerClient client) {
    TaskSnapshot task = client.task(taskId).orElse(null);
    if (task == null) {
      System.err.println("tasker status: no task " + taskId);
      return 1;
    }
    System.out.println("task " + task.taskId() + " " + task.template() + " state=" + task.state().dbName()
        + " created=" + task.createdAt() + (task.completedAt() == null ? "" : " finished=" + task.completedAt()));
    System.out.println("context: " + task.context());
    for (StepSnapshot step : task.steps()) {
      System.out.printf("  %-24s %-18s attempts=%d/%d %s%n", step.name(), step.state().dbName(), step.attempts(),
          step.maxAttempts(),
          step.lastError() != null && !step.state().satisfiesDependents()
              ? "error=" + step.lastError().path("error_type").asText() + ": " + step.lastError().path("message").asText()
              : step.results() == null ? "" : "result=" + abbreviate(step.results().toString()));
    }
    return 0;
  }

  private static String format(java.util.Map<? extends Enum<?>, Long> counts) {
    StringBuilder text = new StringBuilder();
    counts.forEach((state, n) -> text.append(state.name().toLowerCase()).append('=').append(n).append(' '));
    return text.toString().trim();
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 97) + "...";
  }
}
