package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.Ids;
import dev.tasker.protocol.StepBatchRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Attempt timeouts, orphaned batches and steps left behind by workers that never came back. */
class StuckWorkIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void an_attempt_past_its_timeout_is_retried_and_its_late_result_is_refused() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start()) {
      system.worker(TestHandlers.all(), 4);

      CreatedTask created = system.submit("hang", Map.of());
      TaskSnapshot task = system.awaitFinished(created.taskId());
      UUID stepId = task.steps().get(0).stepId();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE step_id = '"
          + stepId + "' AND attempt = 1") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      StepSnapshot step = task.steps().get(0);
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(step.attempts()).isEqualTo(2);
      assertThat(step.lastError().get("error_type").asText()).isEqualTo("timeout");
      assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE step_id = '"
          + stepId + "' AND attempt = 1 AND outcome = 'rejected'")).isEqualTo(1);
      assertThat(system.count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE step_id = '"
          + stepId + "' AND to_state = 'complete'")).isEqualTo(1);
    }
  }

  @Test
  void a_timeout_on_the_last_attempt_ends_in_error_with_a_dead_letter() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start()) {
      system.worker(TestHandlers.all(), 4);

      CreatedTask created = system.submit("hang_once", Map.of());
      TaskSnapshot task = system.awaitFinished(created.taskId());

      assertThat(task.state()).isEqualTo(TaskState.ERROR);
      assertThat(system.count("SELECT count(*) FROM tasker.dead_letters WHERE task_id = '" + created.taskId()
          + "' AND reason = 'timeout' AND resolved_at IS NULL")).isEqualTo(1);
    }
  }

  @Test
  void a_batch_that_never_gets_its_completion_times_out_as_an_orphan() throws Exception {
    OrchestratorConfig quick = OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200)
        .poolSize(8).resultTimeoutMs(300).build();
    try (TaskerTestSystem system = TaskerTestSystem.start(quick);
        RawWorker worker = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      worker.register(1, "tests.raw");
      CreatedTask created = system.submit("raw_quick", Map.of("orphan", true));
      StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);

      worker.send(worker.completed(batch, batch.steps().get(0)));
      system.awaitFinished(created.taskId());
      long deadline = System.nanoTime() + WAIT.toNanos();
      String orphan = "SELECT count(*) FROM tasker.current_step_execution_batch_transitions WHERE batch_id = '"
          + batch.batchId() + "' AND to_state = 'timeout'";
      while (system.count(orphan) == 0 && System.nanoTime() < deadline) {
        worker.heartbeat();
        Thread.sleep(100);
      }

      assertThat(system.count(orphan)).isEqualTo(1);
      assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_discrepancies WHERE batch_id = '"
          + batch.batchId() + "' AND kind = 'no_completion'")).isEqualTo(1);
      assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches WHERE batch_id = '"
          + batch.batchId() + "' AND reconciliation_status = 'discrepancy'")).isEqualTo(1);
    }
  }

  @Test
  void steps_held_by_a_worker_that_never_registers_with_a_restarted_orchestrator_run_again() throws Exception {
    TaskerTestSystem first = TaskerTestSystem.start();
    UUID taskId;
    try (RawWorker vanished = new RawWorker(first.tasker.endpoint(), "raw-" + Ids.newId())) {
      vanished.register(1, "tests.raw");
      taskId = first.submit("raw", Map.of("restart", true)).taskId();
      vanished.receive(StepBatchRequest.class, WAIT);
    }
    first.orchestrator().close();

    Orchestrator second = Orchestrator.builder()
        .config(TestOrchestratorConfigs.fastHeartbeat())
        .dataSource(first.tasker.dataSource())
        .templates(first.templates())
        .build()
        .start();
    try (RawWorker survivor = new RawWorker(second.tcpEndpoint(), "raw-" + Ids.newId())) {
      long started = System.nanoTime();
      survivor.register(1, "tests.raw");
      StepBatchRequest again = (StepBatchRequest) survivor.pollAlive(WAIT);
      long recoveryMs = (System.nanoTime() - started) / 1_000_000;
      survivor.send(survivor.completed(again, again.steps().get(0)));
      survivor.send(survivor.completion(again));

      TaskSnapshot task = first.tasker.awaitFinished(taskId, WAIT);
      assertThat(again.steps().get(0).metadata().attempt()).isEqualTo(2);
      assertThat(recoveryMs).as("ms until the orphaned step ran again").isLessThan(5000);
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    } finally {
      second.close();
      first.close();
    }
  }
}
