package dev.tasker.orchestrator.internal.workers;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.tasker.orchestrator.internal.transport.InboundEvent;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.schema.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Steps given back when their worker is lost or their batch never reached it, through the
 * applier as the transport reports it.
 */
class RequeueIT {

  private static final String WORKER_ID = "requeue-worker";
  private static final String HANDLER = "requeue.only";
  private static final String TEMPLATE = """
      name: single
      namespace_name: requeue
      version: 1.0.0
      steps:
        - name: only
          handler: {callable: requeue.only}
      """;
  private static final DispatchSettings SETTINGS = new DispatchSettings(10, 100, 600_000, 1_000, "requeue-it");

  private HikariDataSource pool;
  private WorkerSession worker;
  private ResultApplier applier;

  @BeforeEach
  void start() {
    pool = ConnectionPools.open(TestDatabases.freshDatabase(), 4, "requeue-it");
    WorkerRegistry registry = new WorkerRegistry();
    worker = registry.register(WORKER_ID.getBytes(StandardCharsets.UTF_8),
        new Hello(WORKER_ID, "java", "test", List.of(ProtocolVersion.CURRENT), List.of(HANDLER), 10, null, null),
        JsonCodec.instance(), System.nanoTime());
    applier = new ResultApplier(pool, new Backoff(new Random(1)), due -> {}, 100, 1_000,
        new Liveness("requeue-it", 3_000), (workerId, ack) -> {},
        new ResultApplier.ChildDispatch(new WorkerRegistry(), SETTINGS, round -> 0, inMillis -> {}, () -> {}, () -> {}), new TaskerMetrics());
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void aStepSentTwiceToAWorkerThatIsThenLostIsRequeuedOnce() throws Exception {
    TaskerClient client = new TaskerClient(pool, TemplateRegistry.of(List.of(TemplateRegistry.parse(TEMPLATE, "t", null))));
    CreatedTask task = client.initializeTask(TaskRequest.builder("requeue", "single").build());
    UUID stepId = stepOf(task.taskId());

    // The first batch never reaches the worker: its attempt is given back, so the second batch
    // carries the same attempt number to the same worker.
    UUID first = claim(stepId);
    applier.accept(new InboundEvent.BatchUndeliverable(first, WORKER_ID, "the worker is not connected"));
    applier.runOnce();
    assertThat(stateAndAttempts(stepId)).isEqualTo("pending/0");
    UUID second = claim(stepId);
    assertThat(second).isNotEqualTo(first);
    assertThat(stateAndAttempts(stepId)).isEqualTo("in_progress/1");

    applier.accept(new InboundEvent.WorkerGone(WORKER_ID, true, Instant.now()));
    applier.runOnce();

    assertThat(stateAndAttempts(stepId)).as("the lost worker's step is ready again").isEqualTo("pending/1");
    assertThat(transitionsTo(stepId, "pending")).as("created, undeliverable, worker lost").isEqualTo(3);
  }

  /** Claims the step for the worker with the orchestrator's claim statement; returns its batch. */
  private UUID claim(UUID stepId) throws SQLException {
    ClaimRound round = ClaimRound.reserveFor(List.of(worker), Map.of(HANDLER, 1));
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      assertThat(round.claim(connection, Map.of(HANDLER, List.of(stepId)), SETTINGS)).isEqualTo(1);
      connection.commit();
    }
    round.abandon();
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT bs.batch_id FROM tasker.step_execution_batch_steps bs"
                + " JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id"
                + " WHERE bs.step_id = ? ORDER BY b.created_at DESC, b.batch_id DESC LIMIT 1")) {
      statement.setObject(1, stepId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getObject(1, UUID.class);
      }
    }
  }

  private UUID stepOf(UUID taskId) throws SQLException {
    return single("SELECT step_id FROM tasker.workflow_steps WHERE task_id = ?", taskId, UUID.class);
  }

  private String stateAndAttempts(UUID stepId) throws SQLException {
    return single("SELECT state || '/' || attempts FROM tasker.workflow_steps WHERE step_id = ?", stepId, String.class);
  }

  private long transitionsTo(UUID stepId, String state) throws SQLException {
    return single("SELECT count(*) FROM tasker.workflow_step_transitions WHERE step_id = ? AND to_state = '"
        + state + "'", stepId, Long.class);
  }

  private <T> T single(String sql, UUID id, Class<T> type) throws SQLException {
    try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, id);
      try (ResultSet rs = statement.executeQuery()) {
        List<T> values = new ArrayList<>();
        while (rs.next()) {
          values.add(rs.getObject(1, type));
        }
        assertThat(values).hasSize(1);
        return values.get(0);
      }
    }
  }
}
