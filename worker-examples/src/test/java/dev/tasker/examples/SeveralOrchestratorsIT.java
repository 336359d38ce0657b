package dev.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.StepWorker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One worker, two real orchestrators: the credit is split, both dispatch, and results survive losing one. */
class SeveralOrchestratorsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final TemplateRegistry TEMPLATES = TemplateRegistry.fromResources(
      SeveralOrchestratorsIT.class.getClassLoader(), List.of("templates/several_orchestrators.yaml"), null);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Sleeps for the task's {@code sleep_ms} and counts the steps running at once, by the task's {@code via}. */
  static final class SleepingHandler implements StepHandler {
    final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> mostRunning = new ConcurrentHashMap<>();
    final AtomicInteger runningInAll = new AtomicInteger();
    final AtomicInteger mostRunningInAll = new AtomicInteger();

    @Override
    public StepResult handle(dev.tasker.worker.StepContext context) throws Exception {
      String via = context.taskContext().path("via").asText();
      int now = running.computeIfAbsent(via, v -> new AtomicInteger()).incrementAndGet();
      mostRunning.computeIfAbsent(via, v -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      mostRunningInAll.accumulateAndGet(runningInAll.incrementAndGet(), Math::max);
      try {
        Thread.sleep(context.taskContext().path("sleep_ms").asLong());
        return StepResult.success(Map.of("via", via));
      } finally {
        running.get(via).decrementAndGet();
        runningInAll.decrementAndGet();
      }
    }

    int mostRunning(String via) {
      return mostRunning.getOrDefault(via, new AtomicInteger()).get();
    }
  }

  /** A task that sleeps; {@code n} keeps tasks apart (creating one with the same context twice makes one task). */
  private static TaskRequest aSleep(String via, long sleepMs, int n) {
    return TaskRequest.builder("several_orchestrators", "sleep")
        .context(Map.of("via", via, "sleep_ms", sleepMs, "n", n))
        .build();
  }

  private StepWorker aWorker(List<String> endpoints, StepHandler handler, int concurrency) {
    StepWorker worker = StepWorker.builder()
        .endpoints(endpoints)
        .handler("several_orchestrators.sleep", handler)
        .concurrency(concurrency)
        .drainTimeout(Duration.ofSeconds(10))
        .build()
        .start();
    toClose.add(worker);
    return worker;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private static List<UUID> submit(TaskerClient client, int count, String via, long sleepMs) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CreatedTask created = client.initializeTask(aSleep(via, sleepMs, i));
      ids.add(created.taskId());
    }
    return ids;
  }

  private static void assertAllComplete(TaskerClient client, List<UUID> ids) throws InterruptedException {
    assertThat(client.awaitFinished(ids, WAIT, Duration.ofMillis(20))).as("every task finished").isTrue();
    assertThat(client.statesOf(ids)).containsExactly(Map.entry(TaskState.COMPLETE, (long) ids.size()));
  }

  @Test
  void a_worker_given_two_orchestrators_serves_both_with_its_credit_split_between_them() throws Exception {
    TestOrchestrator first = TestOrchestrator.start(TEMPLATES);
    toClose.add(first);
    TestOrchestrator second = TestOrchestrator.start(TEMPLATES);
    toClose.add(second);
    SleepingHandler handler = new SleepingHandler();

    StepWorker worker = aWorker(List.of(first.endpoint(), second.endpoint()), handler, 8);
    await("both orchestrators welcomed the worker", () -> worker.registeredOrchestrators() == 2);
    List<UUID> viaFirst = submit(first.client(), 24, "first", 150);
    List<UUID> viaSecond = submit(second.client(), 24, "second", 150);

    assertAllComplete(first.client(), viaFirst);
    assertAllComplete(second.client(), viaSecond);
    // Each orchestrator was given half of the 8 and used all of it; the worker never ran more than 8.
    assertThat(handler.mostRunning("first")).isEqualTo(4);
    assertThat(handler.mostRunning("second")).isEqualTo(4);
    assertThat(handler.mostRunningInAll.get()).isLessThanOrEqualTo(8);
  }

  @Test
  void when_one_orchestrator_stops_the_results_of_its_batches_are_applied_through_the_other_once()
      throws Exception {
    DatabaseSettings database = TestDatabases.freshDatabase();
    Orchestrator first = anOrchestratorOn(database, "first");
    Orchestrator second = anOrchestratorOn(database, "second");
    SleepingHandler handler = new SleepingHandler();
    StepWorker worker = aWorker(List.of(first.tcpEndpoint(), second.tcpEndpoint()), handler, 8);
    await("both orchestrators welcomed the worker", () -> worker.registeredOrchestrators() == 2);
    DataSource data = poolOf(database);

    List<UUID> ids = submit(second.client(), 48, "any", 1000);
    await("the first orchestrator's batches are running", () -> runningStepsSentBy(data, first.orchestratorId()) > 0);
    first.close();
    // Whatever arrives from here on, only the second orchestrator can receive.
    Instant stopped = Instant.now();

    assertAllComplete(second.client(), ids);
    assertThat(countAppliedMoreThanOnce(data)).as("steps applied more than once").isZero();
    assertThat(count(data, "SELECT count(*) FROM tasker.step_execution_batch_received_results"
        + " WHERE outcome = 'applied' AND message_type = 'partial_result'")).isEqualTo(ids.size());
    assertThat(appliedAfter(data, first.orchestratorId(), stopped))
        .as("results of the first orchestrator's batches applied after it stopped, by the second")
        .isPositive();
    assertThat(worker.registeredOrchestrators()).isEqualTo(1);
  }

  private Orchestrator anOrchestratorOn(DatabaseSettings database, String name) {
    HikariDataSource pool = ConnectionPools.open(database, 8, "tasker-" + name);
    Orchestrator orchestrator = Orchestrator.builder()
        .config(TestOrchestrator.defaultConfig())
        .dataSource(pool)
        .templates(TEMPLATES)
        .build()
        .start();
    toClose.add(pool);
    toClose.add(orchestrator);
    return orchestrator;
  }

  private DataSource poolOf(DatabaseSettings database) {
    HikariDataSource pool = ConnectionPools.open(database, 2, "tasker-checks");
    toClose.add(pool);
    return pool;
  }

  private static long runningStepsSentBy(DataSource data, String orchestratorId) {
    return count(data, """
        SELECT count(*)
          FROM tasker.step_execution_batches b
          JOIN tasker.step_execution_batch_steps bs ON bs.batch_id = b.batch_id
          JOIN tasker.workflow_steps s ON s.step_id = bs.step_id AND s.state = 'in_progress'
         WHERE b.orchestrator_id = ?""", orchestratorId);
  }

  private static long countAppliedMoreThanOnce(DataSource data) {
    return count(data, """
        SELECT count(*) FROM (
          SELECT step_id FROM tasker.step_execution_batch_received_results
           WHERE outcome = 'applied' AND message_type = 'partial_result'
           GROUP BY step_id HAVING count(*) > 1) twice""");
  }

  private static long appliedAfter(DataSource data, String orchestratorId, Instant stopped) {
    return count(data, """
        SELECT count(*)
          FROM tasker.step_execution_batch_received_results r
          JOIN tasker.step_execution_batches b ON b.batch_id = r.batch_id
         WHERE r.outcome = 'applied' AND b.orchestrator_id = ? AND r.received_at > ?""",
        orchestratorId, java.sql.Timestamp.from(stopped));
  }

  private static long count(DataSource data, String sql, Object... parameters) {
    try (Connection connection = data.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
