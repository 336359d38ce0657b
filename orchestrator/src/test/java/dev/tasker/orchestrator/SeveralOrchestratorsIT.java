package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.cluster.MaintenanceLock;
import dev.tasker.worker.StepWorker;
import dev.tasker.protocol.Ack;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.Welcome;
import dev.tasker.schema.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Several orchestrators on one database (docs/decisions/0008-several-orchestrators.md): each one
 * leaves the others' batches and workers alone while they are alive, applies any worker's results,
 * and takes over what a stopped or dead one leaves behind.
 */
class SeveralOrchestratorsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Heartbeats missed before a worker or orchestrator counts as gone: 1.2 s at 200 ms, lenient on a busy machine. */
  private static final int LIVENESS = 6;

  private static OrchestratorConfig config() {
    return OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200)
        .heartbeatLiveness(LIVENESS).poolSize(8).build();
  }

  @Test
  void a_second_orchestrator_leaves_the_steps_held_by_the_first_ones_workers_alone() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        RawWorker worker = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
      worker.register(1, "tests.raw");
      UUID taskId = system.submit("raw", Map.of()).taskId();
      StepBatchRequest batch = batchFor(worker);

      try (Orchestrator second = secondOrchestrator(system)) {
        // Well past the second one's start-up grace (7 heartbeats) and two liveness windows.
        Message meanwhile = worker.pollAlive(Duration.ofSeconds(3));
        assertThat(meanwhile).as("a message while holding the step").isNull();
        assertThat(system.count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE metadata->>'reason'"
            + " IN ('worker_lost', 'taken_over', 'not_held_after_restart')")).isZero();

        worker.send(worker.completed(batch, batch.steps().get(0)));
        worker.send(worker.completion(batch));
        TaskSnapshot task = system.awaitFinished(taskId);

        assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
        assertThat(task.steps().get(0).attempts()).isEqualTo(1);
        assertThat(system.client().orchestrators(10))
            .filteredOn(o -> o.alive(LIVENESS * 200))
            .extracting(OrchestratorSnapshot::orchestratorId)
            .containsExactlyInAnyOrder(system.orchestrator().orchestratorId(), second.orchestratorId());
      }
    }
  }

  @Test
  void results_of_a_stopped_orchestrators_batch_are_applied_once_by_another() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system)) {
      String workerId = "raw-" + Ids.newId();
      try (RawWorker viaFirst = new RawWorker(system.tasker.endpoint(), workerId);
          RawWorker viaSecond = new RawWorker(second.tcpEndpoint(), workerId)) {
        viaFirst.register(1, "tests.raw");
        UUID taskId = system.submit("raw", Map.of()).taskId();
        StepBatchRequest batch = batchFor(viaFirst);
        viaSecond.registerHolding(List.of(batch.batchId()), 1, "tests.raw");

        system.orchestrator().close();
        assertThat(system.client().orchestrators(10))
            .filteredOn(o -> o.orchestratorId().equals(system.orchestrator().orchestratorId()))
            .singleElement().satisfies(o -> assertThat(o.stoppedAt()).isNotNull());
        viaSecond.send(viaSecond.completed(batch, batch.steps().get(0)));
        viaSecond.send(viaSecond.completion(batch));
        viaSecond.send(viaSecond.completed(batch, batch.steps().get(0)));
        TaskSnapshot task = system.awaitFinished(taskId);
        UUID stepId = batch.steps().get(0).stepId();

        assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
        assertThat(task.steps().get(0).attempts()).isEqualTo(1);
        assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE step_id = '"
            + stepId + "' AND message_type = 'partial_result' AND outcome = 'applied'")).isEqualTo(1);
        String received = "SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE step_id = '"
            + stepId + "' AND message_type = 'partial_result'";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (system.count(received) < 2 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(system.count(received)).as("the result and its duplicate, in the ledger").isEqualTo(2);
        Message ack = viaSecond.poll(WAIT);
        assertThat(ack).isInstanceOf(Ack.class);
      }
    }
  }

  @Test
  void a_stopped_orchestrators_steps_held_by_a_vanished_worker_are_taken_over_by_a_running_one() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system);
        RawWorker survivor = new RawWorker(second.tcpEndpoint(), "raw-" + Ids.newId())) {
      UUID taskId;
      try (RawWorker vanished = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
        vanished.register(1, "tests.raw");
        taskId = system.submit("raw", Map.of()).taskId();
        batchFor(vanished);
        system.orchestrator().close();
      }
      long stopped = System.nanoTime();
      survivor.register(1, "tests.raw");
      StepBatchRequest again = (StepBatchRequest) survivor.pollAlive(WAIT);
      long recoveryMs = (System.nanoTime() - stopped) / 1_000_000;
      survivor.send(survivor.completed(again, again.steps().get(0)));
      survivor.send(survivor.completion(again));
      TaskSnapshot task = system.awaitFinished(taskId);

      assertThat(again.steps().get(0).metadata().attempt()).isEqualTo(2);
      assertThat(recoveryMs).as("ms until the abandoned step ran again").isLessThan(5000);
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(system.count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE metadata->>'reason'"
          + " = 'taken_over'")).isEqualTo(1);
    }
  }

  @Test
  void a_worker_registering_elsewhere_gets_the_steps_it_never_received_from_a_stopped_orchestrator_again()
      throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system)) {
      String workerId = "raw-" + Ids.newId();
      try (RawWorker viaFirst = new RawWorker(system.tasker.endpoint(), workerId);
          RawWorker viaSecond = new RawWorker(second.tcpEndpoint(), workerId)) {
        viaFirst.register(1, "tests.raw");
        UUID taskId = system.submit("raw", Map.of()).taskId();
        batchFor(viaFirst);
        system.orchestrator().close();

        viaSecond.registerHolding(List.of(), 1, "tests.raw");
        StepBatchRequest again = (StepBatchRequest) viaSecond.pollAlive(WAIT);
        viaSecond.send(viaSecond.completed(again, again.steps().get(0)));
        viaSecond.send(viaSecond.completion(again));
        TaskSnapshot task = system.awaitFinished(taskId);

        assertThat(again.steps().get(0).metadata().attempt()).isEqualTo(2);
        assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      }
    }
  }

  @Test
  void a_batch_the_workers_hello_did_not_list_runs_again_when_its_orchestrator_dies_after_that_hello()
      throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system)) {
      String workerId = "raw-" + Ids.newId();
      try (RawWorker viaFirst = new RawWorker(system.tasker.endpoint(), workerId);
          RawWorker viaSecond = new RawWorker(second.tcpEndpoint(), workerId)) {
        viaFirst.register(1, "tests.raw");
        UUID taskId = system.submit("raw", Map.of()).taskId();
        // The batch is sent; the worker acts as if it never arrived, and says so while the first
        // orchestrator is still alive: nothing may happen yet.
        batchFor(viaFirst);
        viaSecond.registerHolding(List.of(), 1, "tests.raw");
        for (int i = 0; i < 15; i++) {
          viaFirst.heartbeat();
          assertThat(viaSecond.pollAlive(Duration.ofMillis(100))).as("a batch while its orchestrator lives").isNull();
        }

        system.orchestrator().close();
        StepBatchRequest again = (StepBatchRequest) viaSecond.pollAlive(WAIT);
        viaSecond.send(viaSecond.completed(again, again.steps().get(0)));
        viaSecond.send(viaSecond.completion(again));
        TaskSnapshot task = system.awaitFinished(taskId);

        assertThat(again.steps().get(0).metadata().attempt()).isEqualTo(2);
        assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
        assertThat(system.count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE metadata->>'reason'"
            + " = 'taken_over'")).isEqualTo(1);
      }
    }
  }

  @Test
  void a_step_made_ready_where_no_worker_serves_it_wakes_the_orchestrator_whose_worker_does() throws Exception {
    OrchestratorConfig sleepy = OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200)
        .heartbeatLiveness(LIVENESS).poolSize(8).sweepIntervalMs(120_000).build();
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = Orchestrator.builder().config(sleepy).dataSource(system.tasker.dataSource())
            .templates(system.templates()).build().start();
        RawWorker gates = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId());
        RawWorker readers = new RawWorker(second.tcpEndpoint(), "raw-" + Ids.newId())) {
      gates.register(1, "tests.gate");
      readers.register(1, "tests.reads_gate");
      // Long enough for the first orchestrator's registry heartbeat to see the second one.
      for (int i = 0; i < 5; i++) {
        gates.heartbeat();
        assertThat(readers.pollAlive(Duration.ofMillis(100))).isNull();
      }
      system.submit("gated", Map.of("n", UUID.randomUUID().toString()));
      StepBatchRequest gate = batchFor(gates);
      readers.heartbeat();

      long completed = System.nanoTime();
      gates.send(gates.completed(gate, gate.steps().get(0)));
      gates.send(gates.completion(gate));
      Message next = readers.pollAlive(WAIT);
      long wokenMs = (System.nanoTime() - completed) / 1_000_000;

      assertThat(next).isInstanceOf(StepBatchRequest.class);
      assertThat(((StepBatchRequest) next).steps().get(0).stepName()).isEqualTo("after_gate");
      assertThat(wokenMs).as("ms until the second orchestrator (sweeping every 2 minutes) dispatched it")
          .isLessThan(10_000);
    }
  }

  @Test
  void a_welcome_names_the_live_orchestrators_and_a_worker_given_one_finds_the_other() throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system)) {
      String first = system.orchestrator().orchestratorId();
      List<Welcome.OrchestratorEndpoints> named = List.of();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (named.size() < 2 && System.nanoTime() < deadline) {
        try (RawWorker probe = new RawWorker(system.tasker.endpoint(), "raw-" + Ids.newId())) {
          named = probe.register(1, "tests.raw").orchestrators();
        }
      }
      assertThat(named).extracting(Welcome.OrchestratorEndpoints::orchestratorId)
          .containsExactlyInAnyOrder(first, second.orchestratorId());
      assertThat(named).filteredOn(o -> o.orchestratorId().equals(second.orchestratorId()))
          .singleElement().satisfies(o -> assertThat(o.endpoints()).containsExactly(second.tcpEndpoint()));

      StepWorker worker = system.worker(TestHandlers.all(), 4);
      long found = System.nanoTime() + WAIT.toNanos();
      while (worker.registeredOrchestrators() < 2 && System.nanoTime() < found) {
        Thread.sleep(20);
      }
      assertThat(worker.registeredOrchestrators()).as("orchestrators welcoming a worker given one endpoint")
          .isEqualTo(2);
      List<UUID> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        tasks.add(system.submit("linear", Map.of("start", i)).taskId());
      }
      for (UUID taskId : tasks) {
        assertThat(system.awaitFinished(taskId).state()).isEqualTo(TaskState.COMPLETE);
      }
      assertThat(system.count("SELECT count(DISTINCT orchestrator_id) FROM tasker.step_execution_batches"))
          .as("orchestrators that dispatched").isEqualTo(2);
    }
  }

  @Test
  void a_workers_recorded_concurrency_follows_its_credit_messages_summed_over_the_live_orchestrators()
      throws Exception {
    try (TaskerTestSystem system = TaskerTestSystem.start(config());
        Orchestrator second = secondOrchestrator(system)) {
      String workerId = "raw-" + Ids.newId();
      try (RawWorker viaFirst = new RawWorker(system.tasker.endpoint(), workerId);
          RawWorker viaSecond = new RawWorker(second.tcpEndpoint(), workerId)) {
        viaFirst.register(8, "tests.raw");
        viaSecond.register(8, "tests.raw");
        awaitConcurrency(system, workerId, 16, viaFirst, viaSecond);

        viaFirst.send(new Credit(3));
        viaSecond.send(new Credit(5));
        awaitConcurrency(system, workerId, 8, viaFirst, viaSecond);

        second.close();
        awaitConcurrency(system, workerId, 3, viaFirst);
      }
    }
  }

  /** Waits until {@code tasker status} shows the worker with {@code concurrency}, heartbeating. */
  private static void awaitConcurrency(TaskerTestSystem system, String workerId, int concurrency, RawWorker... sessions) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    int shown = -1;
    while (shown != concurrency && System.nanoTime() < deadline) {
      for (RawWorker session : sessions) {
        session.heartbeat();
      }
      assertThat(sessions[0].pollAlive(Duration.ofMillis(50))).isNull();
      shown = system.client().workers().stream().filter(w -> w.workerId().equals(workerId))
          .mapToInt(WorkerSnapshot::concurrency).findFirst().orElse(-1);
    }
    assertThat(shown).as("concurrency recorded for " + workerId).isEqualTo(concurrency);
  }

  @Test
  void one_orchestrator_at_a_time_holds_a_maintenance_lock() throws Exception {
    try (com.zaxxer.hikari.HikariDataSource pool = ConnectionPools.open(TestDatabases.freshDatabase(), 2, "lock-it");
        Connection first = pool.getConnection();
        Connection second = pool.getConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);

      assertThat(MaintenanceLock.TAKE_OVER.tryTake(first)).isTrue();
      assertThat(MaintenanceLock.TAKE_OVER.tryTake(second)).isFalse();
      assertThat(MaintenanceLock.EXPIRE_ATTEMPTS.tryTake(second)).isTrue();
      first.commit();
      assertThat(MaintenanceLock.TAKE_OVER.tryTake(second)).isTrue();
      second.commit();
    }
  }

  /**
   * The next message, which must be a batch, heartbeating meanwhile: with a 200 ms heartbeat a
   * worker that waits silently on a busy machine would be declared dead.
   */
  private static StepBatchRequest batchFor(RawWorker worker) {
    Message message = worker.pollAlive(WAIT);
    assertThat(message).as("a batch for " + worker.workerId).isInstanceOf(StepBatchRequest.class);
    return (StepBatchRequest) message;
  }

  private static Orchestrator secondOrchestrator(TaskerTestSystem system) {
    return Orchestrator.builder()
        .config(config())
        .dataSource(system.tasker.dataSource())
        .templates(system.templates())
        .build()
        .start();
  }
}
