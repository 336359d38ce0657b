package dev.tasker.orchestrator.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A real orchestrator for integration tests: a fresh migrated database (see {@link
 * TestDatabases}), a TCP endpoint on a free loopback port, and a fast heartbeat. Connect workers to
 * {@link #endpoint()}. Close it at the end of the test.
 *
 * <pre>{@code
 * try (TestOrchestrator tasker = TestOrchestrator.start(templates);
 *      StepWorker worker = StepWorker.builder().endpoint(tasker.endpoint()).handlers(handlers).build().start()) {
 *   CreatedTask task = tasker.submit(TaskRequest.builder("ns", "name").context(input).build());
 *   TaskSnapshot done = tasker.awaitFinished(task.taskId(), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class TestOrchestrator implements AutoCloseable {

  private final DatabaseSettings database;
  private final HikariDataSource dataSource;
  private final Orchestrator orchestrator;

  private TestOrchestrator(TemplateRegistry templates, OrchestratorConfig config) {
    database = TestDatabases.freshDatabase();
    dataSource = ConnectionPools.open(database, config.poolSize(), "tasker-test");
    orchestrator = Orchestrator.builder().config(config).dataSource(dataSource).templates(templates).build().start();
  }

  /** Starts with {@link #defaultConfig()}. */
  public static TestOrchestrator start(TemplateRegistry templates) {
    return start(templates, defaultConfig());
  }

  /** Starts with the given configuration (use a tcp port of 0). */
  public static TestOrchestrator start(TemplateRegistry templates, OrchestratorConfig config) {
    return new TestOrchestrator(templates, config);
  }

  /** A free loopback port, a 200 ms heartbeat, 8 connections. */
  public static OrchestratorConfig defaultConfig() {
    return OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0")
        .heartbeatIntervalMs(200)
        .poolSize(8)
        .build();
  }

  /** The TCP endpoint for workers. */
  public String endpoint() {
    return orchestrator.tcpEndpoint();
  }

  /** The orchestrator. */
  public Orchestrator orchestrator() {
    return orchestrator;
  }

  /** A client for this orchestrator's database. */
  public TaskerClient client() {
    return orchestrator.client();
  }

  /** The database. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The database's connection settings. */
  public DatabaseSettings database() {
    return database;
  }

  /** Creates a task. */
  public CreatedTask submit(TaskRequest request) {
    return client().initializeTask(request);
  }

  /** Waits until a task is complete, in error or cancelled, and returns it. */
  public TaskSnapshot awaitFinished(UUID taskId, Duration timeout) throws InterruptedException {
    if (!client().awaitFinished(List.of(taskId), timeout, Duration.ofMillis(20))) {
      throw new AssertionError("task " + taskId + " did not finish within " + timeout + ": "
          + client().task(taskId).orElse(null));
    }
    return client().task(taskId).orElseThrow();
  }

  /** Runs a query returning one number, for assertions on stored state. */
  public long queryForLong(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      if (!rs.next()) {
        throw new SQLException("no row: " + sql);
      }
      return rs.getLong(1);
    }
  }

  /** Stops the orchestrator and closes the pool. The database is left for inspection. */
  @Override
  public void close() {
    orchestrator.close();
    dataSource.close();
  }
}
