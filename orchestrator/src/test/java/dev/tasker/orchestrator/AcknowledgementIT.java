package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.Welcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Results are acknowledged once stored; a restarted orchestrator re-runs what a worker does not hold. */
class AcknowledgementIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void stored_results_are_acknowledged_to_their_worker() {
    try (TaskerTestSystem system = TaskerTestSystem.start();
        RawWorker worker = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      worker.register(1, "tests.raw");
      system.submit("raw", Map.of("ack", 1));
      StepBatchRequest batch = worker.receive(StepBatchRequest.class, WAIT);
      UUID stepId = batch.steps().get(0).stepId();

      worker.send(worker.completed(batch, batch.steps().get(0)));
      worker.send(worker.completion(batch));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (worker.acks().stream().mapToInt(a -> a.batchCompletions().size()).sum() == 0
          && System.nanoTime() < deadline) {
        worker.pollAlive(Duration.ofMillis(100));
      }

      assertThat(worker.acks()).flatExtracting(Ack::partialResults)
          .containsExactly(new Ack.ResultRef(batch.batchId(), stepId));
      assertThat(worker.acks()).flatExtracting(Ack::batchCompletions).containsExactly(batch.batchId());
    }
  }

  @Test
  void a_worker_registering_with_a_restarted_orchestrator_gets_again_the_steps_it_never_received() throws Exception {
    TaskerTestSystem first = TaskerTestSystem.start();
    String workerId = "raw-" + Ids.newId();
    UUID taskId;
    try (RawWorker worker = new RawWorker(first.tasker.endpoint(), workerId)) {
      worker.register(1, "tests.raw");
      taskId = first.submit("raw", Map.of("lost", 1)).taskId();
      worker.receive(StepBatchRequest.class, WAIT);
    }
    first.orchestrator().close();
    Orchestrator second = Orchestrator.builder().config(TestOrchestratorConfigs.fastHeartbeat())
        .dataSource(first.tasker.dataSource()).templates(first.templates()).build().start();
    try (RawWorker restarted = new RawWorker(second.tcpEndpoint(), workerId)) {
      long started = System.nanoTime();
      restarted.send(new Hello(workerId, "test", "0", List.of("1"), List.of("tests.raw"), 1, null, List.of()));
      restarted.receive(Welcome.class, WAIT);
      Message message = restarted.pollAlive(WAIT);
      long recoveryMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(message).isInstanceOf(StepBatchRequest.class);
      StepBatchRequest again = (StepBatchRequest) message;
      assertThat(again.steps().get(0).metadata().attempt()).isEqualTo(2);
      assertThat(recoveryMs).as("well before the grace period and the attempt timeout").isLessThan(2000);
      restarted.send(restarted.completed(again, again.steps().get(0)));
      restarted.send(restarted.completion(again));
      assertThat(first.tasker.awaitFinished(taskId, WAIT).state()).isEqualTo(TaskState.COMPLETE);
    } finally {
      second.close();
      first.close();
    }
  }

  @Test
  void a_restarted_orchestrator_accepts_the_results_of_batches_that_were_in_flight() throws Exception {
    TaskerTestSystem first = TaskerTestSystem.start();
    String workerId = "raw-" + Ids.newId();
    UUID taskId;
    StepBatchRequest inFlight;
    try (RawWorker worker = new RawWorker(first.tasker.endpoint(), workerId)) {
      worker.register(1, "tests.raw");
      taskId = first.submit("raw", Map.of("in_flight", 1)).taskId();
      inFlight = worker.receive(StepBatchRequest.class, WAIT);
    }
    first.orchestrator().close();
    Orchestrator second = Orchestrator.builder().config(TestOrchestratorConfigs.fastHeartbeat())
        .dataSource(first.tasker.dataSource()).templates(first.templates()).build().start();
    try (RawWorker same = new RawWorker(second.tcpEndpoint(), workerId)) {
      same.send(new Hello(workerId, "test", "0", List.of("1"), List.of("tests.raw"), 1, null,
          List.of(inFlight.batchId())));
      same.receive(Welcome.class, WAIT);
      same.send(same.completed(inFlight, inFlight.steps().get(0)));
      same.send(same.completion(inFlight));

      TaskSnapshot task = first.tasker.awaitFinished(taskId, WAIT);
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(task.steps().get(0).attempts()).isEqualTo(1);
      assertThat(first.count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE batch_id = '"
          + inFlight.batchId() + "' AND outcome = 'applied'")).isEqualTo(1);
    } finally {
      second.close();
      first.close();
    }
  }
}
