package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepBatchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How results are applied: credit, duplicates, lost partials, impostors, dead workers. */
class ResultHandlingIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private TaskerTestSystem system;
  private final List<RawWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() {
    system = TaskerTestSystem.start();
  }

  @AfterEach
  void stop() {
    workers.forEach(RawWorker::close);
    system.close();
  }

  private RawWorker aRawWorker(int concurrency) {
    RawWorker worker = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId());
    worker.register(concurrency, "tests.raw");
    workers.add(worker);
    return worker;
  }

  private UUID submitRaw(int n) {
    return system.submit("raw", Map.of("n", n)).taskId();
  }

  private long ledger(String where) throws Exception {
    return system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE " + where);
  }

  @Test
  void a_worker_never_holds_more_steps_than_its_credit() throws Exception {
    RawWorker worker = aRawWorker(2);
    for (int i = 0; i < 5; i++) {
      submitRaw(i);
    }

    List<StepBatchRequest> batches = new ArrayList<>();
    Message message;
    while ((message = worker.pollAlive(Duration.ofMillis(1500))) instanceof StepBatchRequest batch) {
      batches.add(batch);
    }
    int held = batches.stream().mapToInt(b -> b.steps().size()).sum();
    StepBatchRequest first = batches.get(0);
    worker.send(worker.completed(first, first.steps().get(0)));
    Message next = worker.pollAlive(WAIT);

    assertThat(held).isEqualTo(2);
    assertThat(next).isInstanceOf(StepBatchRequest.class);
    assertThat(((StepBatchRequest) next).steps()).hasSize(1);
  }

  @Test
  void a_duplicated_partial_result_changes_the_step_once() throws Exception {
    RawWorker worker = aRawWorker(1);
    UUID taskId = submitRaw(1);
    StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);
    PartialResult result = worker.completed(batch, batch.steps().get(0));

    worker.send(result);
    worker.send(result);
    worker.send(worker.completion(batch));
    TaskSnapshot task = system.awaitFinished(taskId);
    awaitLedgerRows(3);

    UUID stepId = task.steps().get(0).stepId();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(ledger("step_id = '" + stepId + "' AND outcome = 'applied'")).isEqualTo(1);
    assertThat(ledger("step_id = '" + stepId + "' AND outcome = 'rejected'")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE step_id = '" + stepId
        + "' AND to_state = 'complete'")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_discrepancies")).isZero();
  }

  @Test
  void a_lost_partial_result_is_filled_in_from_the_completion_and_the_discrepancy_is_recorded() throws Exception {
    RawWorker worker = aRawWorker(1);
    UUID taskId = submitRaw(2);
    StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);

    worker.send(worker.completion(batch));
    TaskSnapshot task = system.awaitFinished(taskId);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.steps().get(0).results().get("by").asText()).isEqualTo(worker.workerId);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_discrepancies WHERE batch_id = '"
        + batch.batchId() + "' AND kind = 'missing_partial'")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches WHERE batch_id = '"
        + batch.batchId() + "' AND reconciliation_status = 'discrepancy'")).isEqualTo(1);
  }

  @Test
  void a_result_from_a_worker_that_was_not_sent_the_step_is_rejected_with_the_reason() throws Exception {
    RawWorker owner = aRawWorker(1);
    RawWorker impostor = aRawWorker(1);
    submitRaw(3);
    StepBatchRequest batch = receiveBatch(owner, impostor);
    RawWorker holder = batch.batchId() != null && lastReceiver == owner ? owner : impostor;
    RawWorker other = holder == owner ? impostor : owner;
    PartialResult forged = new PartialResult(batch.batchId(), batch.steps().get(0).stepId(), 1,
        dev.tasker.protocol.StepStatus.COMPLETED, null, null, other.workerId, 1, java.time.Instant.now(), 1);

    other.send(forged);
    awaitLedgerRows(1);

    assertThat(ledger("outcome = 'rejected' AND processing_errors->>'reason' LIKE '%was sent to worker "
        + holder.workerId + ", not " + other.workerId + "%'")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.workflow_steps WHERE state = 'in_progress'")).isEqualTo(1);
  }

  private RawWorker lastReceiver;

  private StepBatchRequest receiveBatch(RawWorker... candidates) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (RawWorker candidate : candidates) {
        Message message = candidate.poll(Duration.ofMillis(50));
        if (message instanceof StepBatchRequest batch) {
          lastReceiver = candidate;
          return batch;
        }
      }
    }
    throw new AssertionError("no batch");
  }

  @Test
  void the_steps_of_a_silent_worker_go_to_another_worker_and_its_late_result_is_refused() throws Exception {
    RawWorker doomed = aRawWorker(1);
    UUID taskId = submitRaw(4);
    StepBatchRequest first = doomed.receive(StepBatchRequest.class, WAIT);
    RawWorker survivor = aRawWorker(1);

    long silentSince = System.nanoTime();
    StepBatchRequest second = null;
    while (second == null && System.nanoTime() - silentSince < WAIT.toNanos()) {
      survivor.heartbeat();
      Message message = survivor.poll(Duration.ofMillis(100));
      if (message instanceof StepBatchRequest batch) {
        second = batch;
      }
    }
    long recoveryMs = (System.nanoTime() - silentSince) / 1_000_000;
    survivor.send(survivor.completed(second, second.steps().get(0)));
    survivor.send(survivor.completion(second));
    doomed.send(doomed.completed(first, first.steps().get(0)));
    TaskSnapshot task = system.awaitFinished(taskId);
    awaitLedgerRows(3);

    assertThat(second.steps().get(0).stepId()).isEqualTo(first.steps().get(0).stepId());
    assertThat(second.steps().get(0).metadata().attempt()).isEqualTo(2);
    assertThat(recoveryMs).as("recovery after a worker went silent, ms").isLessThan(5000);
    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.steps().get(0).results().get("by").asText()).isEqualTo(survivor.workerId);
    assertThat(ledger("outcome = 'rejected' AND processing_errors->>'reason' LIKE 'superseded%'")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.workers WHERE worker_id = '" + doomed.workerId
        + "' AND state = 'dead'")).isEqualTo(1);
  }

  private void awaitLedgerRows(long rows) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (ledger("true") < rows && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ledger("true")).isGreaterThanOrEqualTo(rows);
  }

  @Test
  void a_batch_completion_is_recorded_with_its_raw_json() throws Exception {
    RawWorker worker = aRawWorker(1);
    UUID taskId = submitRaw(5);
    StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);
    BatchCompletion completion = worker.completion(batch);

    worker.send(worker.completed(batch, batch.steps().get(0)));
    worker.send(completion);
    system.awaitFinished(taskId);
    awaitLedgerRows(2);

    assertThat(ledger("message_type = 'batch_completion' AND raw_message->>'batch_id' = '" + batch.batchId()
        + "' AND json_array_length(raw_message->'step_summaries') = 1")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.current_step_execution_batch_transitions WHERE batch_id = '"
        + batch.batchId() + "' AND to_state = 'completed'")).isEqualTo(1);
  }
}
