package dev.tasker.orchestrator.internal.progress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.dispatch.ClaimRound;
import dev.tasker.orchestrator.internal.dispatch.DispatchSettings;
import dev.tasker.orchestrator.internal.results.ResultApplier;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Two writers finish the last two steps of the same tasks at the same moment: the write skew that
 * once left tasks {@code in_progress} for ever (each transaction saw the other's step still running,
 * so neither finished the task). Every task has two independent steps, {@code left} and
 * {@code right}, both running; one {@link ResultApplier} stores the results of every left step
 * while a second one, on its own connection and thread, stores those of every right step, both
 * walking the tasks in the same order so that their transactions meet on the same tasks. Every
 * task must end complete, with one transition to complete and its counters at zero active and two
 * done steps.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ConcurrentFinishIT {

  private static final int TASKS = 10_000;
  private static final int RESULTS_PER_TRANSACTION = 50;
  private static final String WORKER_ID = "concurrent-finish-worker";
  private static final String TEMPLATE = """
      name: two_last_steps
      namespace_name: finishing
      version: 1.0.0
      steps:
        - name: left
          handler:
            callable: finishing.left
        - name: right
          handler:
            callable: finishing.right
      """;

  private DatabaseSettings database;
  private HikariDataSource pool;

  @BeforeAll
  void startDatabase() {
    database = TestDatabases.freshDatabase();
    pool = ConnectionPools.open(database, 6, "concurrent-finish-it");
  }

  @AfterAll
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void twoWritersFinishingTheLastStepsOfTheSameTasksLeaveNoTaskInProgress() throws Exception {
    List<UUID> taskIds = createTasks();
    Map<String, List<Claimed>> claimedByHandler = claimEveryStep();
    assertThat(claimedByHandler.get("finishing.left")).hasSize(TASKS);
    assertThat(claimedByHandler.get("finishing.right")).hasSize(TASKS);

    AtomicLong sequence = new AtomicLong();
    ResultApplier leftWriter = anApplier();
    ResultApplier rightWriter = anApplier();
    feed(leftWriter, claimedByHandler.get("finishing.left"), sequence);
    feed(rightWriter, claimedByHandler.get("finishing.right"), sequence);

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (ResultApplier writer : List.of(leftWriter, rightWriter)) {
      writer.requestStop();
      Thread thread = new Thread(() -> {
        try {
          start.await();
          writer.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "finish-writer-" + writers.size());
      thread.start();
      writers.add(thread);
    }
    start.countDown();
    for (Thread writer : writers) {
      writer.join(600_000);
      assertThat(writer.isAlive()).as("%s still applying after 10 minutes", writer.getName()).isFalse();
    }
    assertThat(leftWriter.backlog()).isZero();
    assertThat(rightWriter.backlog()).isZero();

    try (Connection connection = pool.getConnection()) {
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps WHERE state = 'complete'"))
          .as("steps complete").isEqualTo(2L * TASKS);
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks WHERE state = 'in_progress'"))
          .as("tasks left in progress").isZero();
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks WHERE state = 'complete'"
          + " AND active_steps = 0 AND done_steps = 2 AND completed_at IS NOT NULL"))
          .as("tasks complete with their counters at 0 active, 2 done").isEqualTo(TASKS);
      assertThat(count(connection, "SELECT count(*) FROM tasker.task_transitions WHERE to_state = 'complete'"))
          .as("transitions to complete, one per task").isEqualTo(TASKS);
      assertThat(count(connection, "SELECT count(DISTINCT task_id) FROM tasker.task_transitions"
          + " WHERE to_state = 'complete'")).isEqualTo(TASKS);
      assertThat(count(connection, "SELECT count(*) FROM tasker.step_execution_batch_received_results"))
          .as("every result in the ledger").isEqualTo(2L * TASKS + batchCount(claimedByHandler));
    }
    assertThat(taskIds).hasSize(TASKS);
  }

  private List<UUID> createTasks() {
    TemplateRegistry templates = TemplateRegistry.of(List.of(TemplateRegistry.parse(TEMPLATE, "inline", null)));
    TaskerClient client = new TaskerClient(pool, templates);
    client.registerTemplates();
    List<TaskRequest> requests = IntStream.range(0, TASKS)
        .mapToObj(i -> TaskRequest.builder("finishing", "two_last_steps").context(Map.of("n", i)).build())
        .toList();
    return client.initializeTasks(requests).stream().map(CreatedTask::taskId).toList();
  }

  /** One step of a batch, as the orchestrator sent it. */
  private record Claimed(UUID batchId, UUID taskId, UUID stepId, int attempt) {}

  /**
   * Claims every step with the orchestrator's own claim statement, for one worker with credit for
   * all of them, as the dispatcher would before sending the batches.
   */
  private Map<String, List<Claimed>> claimEveryStep() throws SQLException {
    WorkerRegistry registry = new WorkerRegistry();
    Hello hello = new Hello(WORKER_ID, "java", "test", List.of(ProtocolVersion.CURRENT),
        List.of("finishing.left", "finishing.right"), 2 * TASKS, null, null);
    WorkerSession session = registry.register(WORKER_ID.getBytes(StandardCharsets.UTF_8), hello,
        JsonCodec.instance(), System.nanoTime());
    ClaimRound round = ClaimRound.reserveFor(List.of(session), Map.of("finishing.left", TASKS, "finishing.right", TASKS));
    Map<String, List<UUID>> ready = new LinkedHashMap<>();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(
              "SELECT handler, step_id FROM tasker.workflow_steps WHERE state = 'pending' ORDER BY task_id")) {
        while (rs.next()) {
          ready.computeIfAbsent(rs.getString(1), h -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
        }
      }
      int claimed = round.claim(connection, ready, new DispatchSettings(100, 2 * TASKS, 600_000, 1_000, "concurrent-finish-it"));
      connection.commit();
      assertThat(claimed).isEqualTo(2 * TASKS);
    }
    Map<String, List<Claimed>> byHandler = new LinkedHashMap<>();
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("""
            SELECT s.handler, bs.batch_id, s.task_id, s.step_id, s.attempts
              FROM tasker.step_execution_batch_steps bs
              JOIN tasker.workflow_steps s ON s.step_id = bs.step_id
             WHERE s.state = 'in_progress'
             ORDER BY s.task_id""")) {
      while (rs.next()) {
        byHandler.computeIfAbsent(rs.getString(1), h -> new ArrayList<>()).add(new Claimed(
            rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getInt(5)));
      }
    }
    return byHandler;
  }

  private ResultApplier anApplier() {
    ResultApplier.ChildDispatch noChildren = new ResultApplier.ChildDispatch(
        new WorkerRegistry(),
        new DispatchSettings(100, 1_000, 600_000, 1_000, "concurrent-finish-it"),
        round -> 0,
        inMillis -> {},
        () -> {},
        () -> {});
    return new ResultApplier(pool, new Backoff(new Random(7)), due -> {},
        RESULTS_PER_TRANSACTION, Integer.MAX_VALUE, new Liveness("concurrent-finish-it", 3_000), (worker, ack) -> {}, noChildren, new TaskerMetrics());
  }

  /** Queues each step's result in task order, and each batch's completion after its last result. */
  private static void feed(ResultApplier applier, List<Claimed> steps, AtomicLong sequence) {
    Map<UUID, List<StepSummary>> summaries = new LinkedHashMap<>();
    for (Claimed step : steps) {
      Instant now = Instant.now();
      PartialResult result = new PartialResult(step.batchId(), step.stepId(), step.attempt(), StepStatus.COMPLETED,
          JsonNodeFactory.instance.objectNode().put("task", step.taskId().toString()), null, WORKER_ID,
          sequence.incrementAndGet(), now, 1);
      applier.accept(received(result, now));
      summaries.computeIfAbsent(step.batchId(), b -> new ArrayList<>())
          .add(new StepSummary(step.stepId(), step.attempt(), StepStatus.COMPLETED, result.output(), null, 1));
    }
    summaries.forEach((batchId, batchSteps) -> {
      Instant now = Instant.now();
      applier.accept(received(
          new BatchCompletion(batchId, batchSteps.size(), batchSteps.size(), 0, 0, batchSteps, now), now));
    });
  }

  private static ResultReceived received(Message message, Instant at) {
    return new ResultReceived(WORKER_ID, message, JsonCodec.instance().toJson(message), at);
  }

  private static long batchCount(Map<String, List<Claimed>> byHandler) {
    return byHandler.values().stream().flatMap(List::stream).map(Claimed::batchId).distinct().count();
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
