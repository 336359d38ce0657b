package dev.tasker.cli.chaos;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Chaos scenario {@code orchestrator_failover}: two orchestrator processes on the run's database
 * and two Java worker processes given both endpoints. While the first orchestrator has batches in
 * flight, it is killed with SIGKILL and not restarted: the
 * survivor must apply the results its workers move over, and run again what nobody holds.
 *
 * <p>Recovery is measured per step: every step that was in progress in a batch of the killed
 * orchestrator at the kill must have had a result applied (through the survivor) or been
 * dispatched again; {@code recovery_ms} is the time from the kill until the last of them did, and
 * -1 (a failure) if one never did.
 */
final class OrchestratorFailover {

  /** The promise: every step the killed orchestrator had in flight is applied or running again within 5 s. */
  static final long MAX_RECOVERY_MS = 5000;

  private static final Duration FINISH = Duration.ofSeconds(120);
  private static final Duration REGISTER = Duration.ofSeconds(60);
  private static final Duration BEFORE_FAULT = Duration.ofSeconds(2);
  private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(30);

  /** The in-progress steps of an orchestrator's batches, with their latest transition, as JSON. */
  private static final String IN_FLIGHT = """
      SELECT coalesce(json_agg(json_build_object('step_id', s.step_id, 'batch_id', b.batch_id,
               'sort_key', (SELECT max(t.sort_key) FROM tasker.workflow_step_transitions t
                             WHERE t.step_id = s.step_id))), '[]')::text
        FROM tasker.workflow_steps s
        JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
        JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
       WHERE s.state = 'in_progress' AND b.orchestrator_id = ?
      """;

  /**
   * For every held step, the first of: a transition after the snapshot other than back to pending
   * (a result applied, or the step dispatched again), or a later batch carrying it. The latest of
   * those, in epoch milliseconds; -1 when a step has neither.
   */
  private static final String RECOVERED = """
      SELECT CASE WHEN bool_and(recovered IS NOT NULL)
                  THEN (extract(epoch FROM max(recovered)) * 1000)::bigint ELSE -1 END
        FROM (SELECT least(
                (SELECT min(t.created_at) FROM tasker.workflow_step_transitions t
                  WHERE t.step_id = held.step_id AND t.sort_key > held.sort_key AND t.to_state <> 'pending'),
                (SELECT min(again.created_at) FROM tasker.step_execution_batch_steps again
                  WHERE again.step_id = held.step_id AND again.batch_id <> held.batch_id
                    AND again.created_at > (SELECT b.created_at FROM tasker.step_execution_batches b
                                             WHERE b.batch_id = held.batch_id))) AS recovered
                FROM json_to_recordset(?::json) AS held(step_id uuid, batch_id uuid, sort_key int)) steps
      """;

  private OrchestratorFailover() {}

  static ChaosResult run(ChaosRun run, ChaosPostgres postgres, int tasks) throws Exception {
    // Both orchestrators run in the root namespace. Running the victim in a namespace of its own
    // needed the chaos PostgreSQL restarted to listen on the link, and on a loaded machine the run's
    // pool did not always reconnect within 30 s after that restart (seen in a fresh-clone run).
    try (Cluster cluster = new Cluster(run.database, run.logs(), run.templates())) {
      int victim = cluster.addOrchestrator();
      int survivor = cluster.addOrchestrator();
      cluster.startOrchestrator(victim);
      cluster.startOrchestrator(survivor);
      for (int i = 1; i <= 2; i++) {
        cluster.startWorker(cluster.addJavaWorker("chaos-" + run.scenario + "-" + i, "chaos", 4));
      }
      for (int i = 0; i < cluster.workerCount(); i++) {
        if (!run.awaitWorkerState(cluster.workerId(i), "active", REGISTER)) {
          throw new IllegalStateException(cluster.workerId(i) + " did not register; see " + run.logs());
        }
      }
      String victimId = run.queryText("SELECT orchestrator_id FROM tasker.orchestrators WHERE ? = ANY(endpoints)",
          cluster.endpoint(victim));
      List<UUID> ids = run.submit("pipeline", tasks);
      Thread.sleep(BEFORE_FAULT.toMillis());
      awaitFreshBatch(run, victimId);
      String held = run.queryText(IN_FLIGHT, victimId);
      Instant fault = Instant.now();
      cluster.killOrchestrator(victim);
      long heldSteps = run.queryLong("SELECT json_array_length(?::json)", held);
      long heldBatches = run.queryLong(
          "SELECT count(DISTINCT batch_id) FROM json_to_recordset(?::json) AS h(batch_id uuid)", held);
      if (heldSteps == 0) {
        throw new IllegalStateException("orchestrator_failover: the orchestrator to kill had no steps in flight");
      }
      run.note("killed orchestrator-1 (bound on " + cluster.endpoint(victim) + ") with " + heldSteps
          + " steps in " + heldBatches + " batches in flight; orchestrator-2 survives");
      run.awaitFinished(ids, FINISH);
      long recoveredAt = run.queryLong(RECOVERED, held);
      long recovery = recoveredAt < 0 ? -1 : Math.max(0, recoveredAt - fault.toEpochMilli());
      run.note("recovery: every step in flight in the killed orchestrator's batches applied through the survivor"
          + " or dispatched again " + (recovery < 0 ? "NEVER (some were neither)" : recovery + " ms")
          + " after the kill; first batch the survivor created after the kill: " + run.millisSince(fault,
              "SELECT min(created_at) FROM tasker.step_execution_batches WHERE created_at > ? AND orchestrator_id <> ?",
              victimId) + " ms after it");
      run.note("batches of the killed orchestrator with results applied through the survivor: " + run.queryLong("""
          SELECT count(DISTINCT r.batch_id) FROM tasker.step_execution_batch_received_results r
            JOIN tasker.step_execution_batches b ON b.batch_id = r.batch_id
           WHERE b.orchestrator_id = ? AND r.outcome = 'applied' AND r.processed_at > ?
          """, victimId, Timestamp.from(fault)) + "; steps taken over: " + run.queryText("""
          SELECT 'taken_over=' || count(*) FILTER (WHERE metadata->>'reason' = 'taken_over')
                 || ' not_held_after_restart=' || count(*) FILTER (WHERE metadata->>'reason' = 'not_held_after_restart')
            FROM tasker.workflow_step_transitions WHERE created_at > ?
          """, Timestamp.from(fault)));
      return new ChaosResult(run.scenario, ids.size(), run.complete(ids), run.doubleApplied(), recovery,
          MAX_RECOVERY_MS);
    }
  }

  /** Waits until the orchestrator has a step in progress in a batch it sent in the last 100 ms. */
  private static void awaitFreshBatch(ChaosRun run, String orchestratorId) throws Exception {
    long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
    // Steps take 300 ms: one sent in the last 100 ms is still running, or its result unapplied, at the kill.
    while (System.nanoTime() < deadline && run.queryLong("""
        SELECT count(*) FROM tasker.workflow_steps s
          JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
          JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
         WHERE s.state = 'in_progress' AND b.orchestrator_id = ?
           AND b.created_at > clock_timestamp() - interval '100 milliseconds'
        """, orchestratorId) == 0) {
      Thread.sleep(5);
    }
  }
}
