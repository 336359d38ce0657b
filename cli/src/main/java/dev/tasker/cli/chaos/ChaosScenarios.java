package dev.tasker.cli.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The fault scenarios of {@code tasker chaos}, each against real processes: an orchestrator
 * process, two worker processes and PostgreSQL.
 */
public final class ChaosScenarios {

  /** Every scenario, in the order they run. */
  public static final List<String> ALL = List.of(
      "worker_kill", "orchestrator_kill", "postgres_restart", "hung_handler", "duplicate_reorder", "drop_partials");

  /** The promise for a killed worker: its steps run again within 5 seconds at default settings. */
  static final long WORKER_KILL_MAX_RECOVERY_MS = 5000;

  private static final Duration FINISH = Duration.ofSeconds(120);
  private static final Duration BEFORE_FAULT = Duration.ofSeconds(2);
  private static final String FIRST_BATCH_AFTER =
      "SELECT min(created_at) FROM tasker.step_execution_batches WHERE created_at > ?";

  private final ChaosPostgres postgres;
  private final Path logs;
  private final Path templates;
  private final int tasks;

  ChaosScenarios(ChaosPostgres postgres, Path logs, Path templates, int tasks) {
    this.postgres = postgres;
    this.logs = logs;
    this.templates = templates;
    this.tasks = tasks;
  }

  ChaosResult run(String scenario) throws Exception {
    try (ChaosRun run = ChaosRun.create(postgres, scenario, logs.resolve(scenario), templates)) {
      return switch (scenario) {
        case "worker_kill" -> workerKill(run);
        case "orchestrator_kill" -> orchestratorKill(run);
        case "postgres_restart" -> postgresRestart(run);
        case "hung_handler" -> hungHandler(run);
        case "duplicate_reorder" -> faultyNetwork(run,
            FaultSettings.builder().duplicateProbability(0.3).reorderProbability(0.3).faultBatchCompletions(true));
        case "drop_partials" -> faultyNetwork(run, FaultSettings.builder().dropProbability(0.3));
        default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'; known: " + ALL);
      };
    }
  }

  /** kill -9 a worker while it holds steps; a worker is declared dead by missed heartbeats. */
  private ChaosResult workerKill(ChaosRun run) throws Exception {
    run.startOrchestrator();
    run.startWorkers(2);
    List<UUID> ids = run.submit("pipeline", tasks);
    String victim = "chaos-" + run.scenario + "-1";
    Thread.sleep(BEFORE_FAULT.toMillis());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // Steps take 300 ms: one sent in the last 100 ms is still running when the kill lands.
    while (!run.holdsRecentSteps(victim, 100) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Instant fault = Instant.now();
    run.worker(0).kill();
    run.awaitFinished(ids, FINISH);
    long recovery = run.millisSince(fault, """
        SELECT min(again.created_at)
          FROM tasker.step_execution_batches b
          JOIN tasker.step_execution_batch_steps held ON held.batch_id = b.batch_id
          JOIN tasker.step_execution_batch_steps again
            ON again.step_id = held.step_id AND again.attempt > held.attempt
         WHERE held.created_at <= ? AND b.worker_id = ?
        """, victim);
    return result(run, ids, recovery, WORKER_KILL_MAX_RECOVERY_MS);
  }

  /** kill -9 the orchestrator mid-run and start a new one; workers register again. */
  private ChaosResult orchestratorKill(ChaosRun run) throws Exception {
    run.startOrchestrator();
    run.startWorkers(2);
    List<UUID> ids = run.submit("pipeline", tasks);
    Thread.sleep(BEFORE_FAULT.toMillis());
    Instant fault = Instant.now();
    run.orchestrator().kill();
    run.startOrchestrator();
    run.awaitFinished(ids, FINISH);
    return result(run, ids, run.millisSince(fault, FIRST_BATCH_AFTER), -1);
  }

  /** Stop PostgreSQL mid-run for two seconds and start it again. */
  private ChaosResult postgresRestart(ChaosRun run) throws Exception {
    run.startOrchestrator();
    run.startWorkers(2);
    List<UUID> ids = run.submit("pipeline", tasks);
    Thread.sleep(BEFORE_FAULT.toMillis());
    Instant fault = Instant.now();
    postgres.stop();
    Thread.sleep(2000);
    postgres.startAgain();
    run.awaitFinished(ids, FINISH);
    return result(run, ids, run.millisSince(fault, FIRST_BATCH_AFTER), -1);
  }

  /** Every step's first attempt hangs past its 2-second timeout; the second attempt succeeds. */
  private ChaosResult hungHandler(ChaosRun run) throws Exception {
    run.startOrchestrator();
    run.startWorkers(2);
    List<UUID> ids = run.submit("hang", Math.max(1, tasks / 6));
    run.awaitFinished(ids, FINISH);
    long recovery = run.queryLong("""
        SELECT coalesce(ceil(extract(epoch FROM min(second.created_at
                   - (first.created_at + s.timeout_ms * interval '1 millisecond'))) * 1000), -1)::bigint
          FROM tasker.step_execution_batch_steps first
          JOIN tasker.step_execution_batch_steps second ON second.step_id = first.step_id AND second.attempt = 2
          JOIN tasker.workflow_steps s ON s.step_id = first.step_id
         WHERE first.attempt = 1
        """);
    return result(run, ids, Math.max(recovery, 0), -1);
  }

  /** Workers reach the orchestrator through a proxy that duplicates, reorders or drops results. */
  private ChaosResult faultyNetwork(ChaosRun run, FaultSettings.Builder faults) throws Exception {
    run.startOrchestrator();
    run.useProxy(faults);
    run.startWorkers(2);
    List<UUID> ids = run.submit("pipeline", tasks);
    run.awaitFinished(ids, FINISH);
    return result(run, ids, 0, -1);
  }

  private static ChaosResult result(ChaosRun run, List<UUID> ids, long recoveryMs, long maxRecoveryMs)
      throws Exception {
    return new ChaosResult(run.scenario, ids.size(), run.complete(ids), run.doubleApplied(), recoveryMs, maxRecoveryMs);
  }
}
