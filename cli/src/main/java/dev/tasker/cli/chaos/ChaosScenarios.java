package dev.tasker.cli.chaos;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The fault scenarios of {@code tasker chaos}, each against real processes: an orchestrator
 * process, two worker processes and PostgreSQL. {@code partition_worker} and {@code slow_link} put
 * workers in a {@link NetworkNamespace} of their own and need root; so does
 * {@code orchestrator_failover} ({@link OrchestratorFailover}), which runs two orchestrators, one
 * of them in a namespace.
 */
public final class ChaosScenarios {

  /** Every scenario, in the order they run. */
  public static final List<String> ALL = List.of(
      "worker_kill", "orchestrator_kill", "postgres_restart", "hung_handler", "duplicate_reorder", "drop_partials",
      "partition_worker", "slow_link", "orchestrator_failover");

  /** The promise for a killed worker: its steps run again within 5 seconds at default settings. */
  static final long WORKER_KILL_MAX_RECOVERY_MS = 5000;

  /** How long {@code partition_worker} cuts the link: over three times the default liveness window. */
  static final Duration PARTITION = Duration.ofSeconds(10);
  /**
   * {@code slow_link}'s token-bucket rate, each direction. Measured (30 tasks, docs/reliability.md):
   * 64kbit and faster change nothing, the messages are small; 24kbit makes the median step's
   * dispatch-to-result time 2.5 times the unshaped link's; at 16kbit heartbeats miss their window.
   */
  static final String SLOW_LINK_RATE = "24kbit";
  static final long SLOW_LINK_DELAY_MS = 200;
  static final double SLOW_LINK_DROP = 0.05;

  private static final Duration FINISH = Duration.ofSeconds(120);
  private static final Duration REGISTER_AGAIN = Duration.ofSeconds(30);
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
      return run(scenario, run);
    } finally {
      postgres.listenOnLoopbackOnly();
    }
  }

  private ChaosResult run(String scenario, ChaosRun run) throws Exception {
    return switch (scenario) {
      case "worker_kill" -> workerKill(run);
      case "orchestrator_kill" -> orchestratorKill(run);
      case "postgres_restart" -> postgresRestart(run);
      case "hung_handler" -> hungHandler(run);
      case "duplicate_reorder" -> faultyNetwork(run,
          FaultSettings.builder().duplicateProbability(0.3).reorderProbability(0.3).faultBatchCompletions(true));
      case "drop_partials" -> faultyNetwork(run, FaultSettings.builder().dropProbability(0.3));
      case "partition_worker" -> partitionWorker(run);
      case "slow_link" -> slowLink(run);
      case "orchestrator_failover" -> OrchestratorFailover.run(run, postgres, tasks);
      default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'; known: " + ALL);
    };
  }

  /** kill -9 a worker while it holds steps; a worker is declared dead by missed heartbeats. */
  private ChaosResult workerKill(ChaosRun run) throws Exception {
    run.startOrchestrator();
    run.startWorkers(2);
    List<UUID> ids = run.submit("pipeline", tasks);
    String victim = "chaos-" + run.scenario + "-1";
    Thread.sleep(BEFORE_FAULT.toMillis());
    awaitHoldingSteps(run, victim);
    Instant fault = Instant.now();
    run.worker(0).kill();
    run.awaitFinished(ids, FINISH);
    return result(run, ids, rerunSince(run, fault, victim), WORKER_KILL_MAX_RECOVERY_MS);
  }

  /**
   * Cut the link of a worker in its own network namespace for {@link #PARTITION} while it holds
   * steps, then heal it: the orchestrator declares the worker dead and runs its steps on the other
   * worker; the worker registers again after the heal and resends the results it kept, which are
   * refused (their attempts were superseded).
   */
  private ChaosResult partitionWorker(ChaosRun run) throws Exception {
    NetworkNamespace namespace = run.newNamespace();
    run.exposeOrchestratorOn(namespace.hostAddress());
    run.startOrchestrator();
    String victim = run.startWorkerIn(namespace, run.orchestratorEndpoint(namespace.hostAddress()));
    run.startWorkers(1);
    List<UUID> ids = run.submit("pipeline", tasks);
    Thread.sleep(BEFORE_FAULT.toMillis());
    // Cut while the worker is inside a handler, so it finishes that step during the partition and
    // keeps the result. A batch stored in the database may still be on the wire (loaded CI clones
    // cut before it arrived, and the worker had nothing to keep: "by outcome: none").
    awaitStepStart(run, victim);
    Instant fault = Instant.now();
    namespace.cut();
    try {
      if (!run.awaitWorkerState(victim, "dead", PARTITION)) {
        throw new IllegalStateException("partition_worker: the orchestrator did not declare " + victim + " dead within "
            + PARTITION.toSeconds() + " s of cutting its link");
      }
      run.note("declared dead after " + Duration.between(fault, Instant.now()).toMillis() + " ms");
      // The partition has a fixed length: long enough that the worker also gives the session up.
      long remaining = Duration.between(Instant.now(), fault.plus(PARTITION)).toMillis();
      if (remaining > 0) {
        Thread.sleep(remaining);
      }
    } finally {
      namespace.heal();
    }
    Instant healed = Instant.now();
    // Dead until it registers again, which it cannot do before the heal.
    if (!run.awaitWorkerState(victim, "active", REGISTER_AGAIN)) {
      throw new IllegalStateException("partition_worker: " + victim + " did not register again within "
          + REGISTER_AGAIN.toSeconds() + " s of the link healing");
    }
    run.note("registered again " + Duration.between(healed, Instant.now()).toMillis() + " ms after the heal");
    run.awaitFinished(ids, FINISH);
    run.note("results " + victim + " kept through the partition and sent after the heal, by outcome: " + run.queryText("""
        SELECT coalesce(string_agg(outcome || '=' || n, ' ' ORDER BY outcome), 'none')
          FROM (SELECT r.outcome, count(*) AS n
                  FROM tasker.step_execution_batch_received_results r
                  JOIN tasker.step_execution_batches b ON b.batch_id = r.batch_id
                 WHERE r.worker_id = ? AND r.received_at > ? AND b.created_at < ?
                 GROUP BY r.outcome) kept
        """, victim, Timestamp.from(healed), Timestamp.from(fault)));
    // Its steps must have run elsewhere while the link was still down.
    return result(run, ids, rerunSince(run, fault, victim), PARTITION.toMillis());
  }

  /**
   * Both workers in a network namespace whose link is rate-limited ({@link #SLOW_LINK_RATE} each
   * way), reaching the orchestrator through a {@link FaultProxy} on the link that delays results
   * by {@link #SLOW_LINK_DELAY_MS} and drops {@link #SLOW_LINK_DROP} of them.
   */
  private ChaosResult slowLink(ChaosRun run) throws Exception {
    NetworkNamespace namespace = run.newNamespace();
    namespace.limitRate(SLOW_LINK_RATE);
    run.note("link: " + namespace.qdiscs());
    run.startOrchestrator();
    run.useProxy(FaultSettings.builder().delayMs(SLOW_LINK_DELAY_MS).dropProbability(SLOW_LINK_DROP)
        .faultBatchCompletions(true), namespace.hostAddress());
    String endpoint = run.proxy().frontendEndpoint();
    run.startWorkerIn(namespace, endpoint);
    run.startWorkerIn(namespace, endpoint);
    Instant start = Instant.now();
    List<UUID> ids = run.submit("pipeline", tasks);
    run.awaitFinished(ids, FINISH);
    run.note("finished in " + Duration.between(start, Instant.now()).toMillis() + " ms; median ms from dispatch to"
        + " applied result (handler: 300 ms): " + run.queryLong("""
            SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (
                     ORDER BY extract(epoch FROM t.created_at - bs.created_at) * 1000), -1)::bigint
              FROM tasker.workflow_steps s
              JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id
              JOIN tasker.workflow_step_transitions t ON t.step_id = s.step_id AND t.to_state = 'complete'
             WHERE s.attempts = 1
            """) + "; proxy " + run.proxy().counts() + "; link " + namespace.byteCounts());
    return result(run, ids, 0, -1);
  }

  /**
   * Waits (up to 30 s) until the worker starts a step after this call: it is 300 ms from its end
   * when this returns, the 5 ms poll aside.
   */
  private static void awaitStepStart(ChaosRun run, String workerId) throws Exception {
    long before = run.stepsStarted(workerId);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (run.stepsStarted(workerId) == before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("partition_worker: " + workerId + " started no step within 30 s");
      }
      Thread.sleep(5);
    }
  }

  /** Waits (up to 30 s) until the worker holds a step sent in the last 100 ms. */
  private static void awaitHoldingSteps(ChaosRun run, String workerId) throws Exception {
    // Steps take 300 ms: one sent in the last 100 ms is still running when the fault lands.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!run.holdsRecentSteps(workerId, 100) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** Milliseconds from the fault to the first new attempt of a step the worker held then. */
  private static long rerunSince(ChaosRun run, Instant fault, String workerId) throws Exception {
    return run.millisSince(fault, """
        SELECT min(again.created_at)
          FROM tasker.step_execution_batches b
          JOIN tasker.step_execution_batch_steps held ON held.batch_id = b.batch_id
          JOIN tasker.step_execution_batch_steps again
            ON again.step_id = held.step_id AND again.attempt > held.attempt
         WHERE held.created_at <= ? AND b.worker_id = ?
        """, workerId);
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
