package dev.tasker.orchestrator;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A whole system for a test: a fresh database, an orchestrator on a free TCP port and workers in
 * this JVM connected over TCP.
 */
final class TaskerTestSystem implements AutoCloseable {

  final DatabaseSettings database;
  final HikariDataSource dataSource;
  final Orchestrator orchestrator;
  private final List<StepWorker> workers = new ArrayList<>();

  private TaskerTestSystem(OrchestratorConfig config) {
    database = TestDatabases.freshDatabase();
    dataSource = ConnectionPools.open(database, 8, "test");
    TemplateRegistry templates = TemplateRegistry.fromDirectory(Path.of("src/test/resources/templates"), null);
    orchestrator = Orchestrator.builder().config(config).dataSource(dataSource).templates(templates).build().start();
  }

  static TaskerTestSystem start() {
    return start(OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).build());
  }

  static TaskerTestSystem start(OrchestratorConfig config) {
    return new TaskerTestSystem(config);
  }

  StepWorker worker(Map<String, StepHandler> handlers, int concurrency) throws InterruptedException {
    StepWorker worker =
        StepWorker.builder()
            .endpoint(orchestrator.tcpEndpoint())
            .handlers(handlers)
            .concurrency(concurrency)
            .drainTimeout(Duration.ofSeconds(5))
            .build()
            .start();
    if (!worker.awaitRegistered(Duration.ofSeconds(10))) {
      throw new AssertionError("worker did not register");
    }
    workers.add(worker);
    return worker;
  }

  TaskerClient client() {
    return orchestrator.client();
  }

  CreatedTask submit(String name, Map<String, ?> context) {
    return client().initializeTask(TaskRequest.builder("tests", name).context(context).build());
  }

  TaskSnapshot awaitFinished(UUID taskId) throws InterruptedException {
    if (!client().awaitFinished(List.of(taskId), Duration.ofSeconds(20), Duration.ofMillis(20))) {
      throw new AssertionError("task did not finish: " + client().task(taskId).orElseThrow());
    }
    return client().task(taskId).orElseThrow();
  }

  long count(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    workers.forEach(StepWorker::close);
    orchestrator.close();
    dataSource.close();
  }
}
