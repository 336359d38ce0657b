package dev.tasker.orchestrator;

import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A test orchestrator with the test templates, plus workers in this JVM connected over TCP. */
final class TaskerTestSystem implements AutoCloseable {

  final TestOrchestrator tasker;
  private final TemplateRegistry templates;
  private final List<StepWorker> workers = new ArrayList<>();

  private TaskerTestSystem(OrchestratorConfig config) {
    templates = TemplateRegistry.fromDirectory(Path.of("src/test/resources/templates"), null);
    tasker = TestOrchestrator.start(templates, config);
  }

  TemplateRegistry templates() {
    return templates;
  }

  static TaskerTestSystem start() {
    return start(TestOrchestrator.defaultConfig());
  }

  static TaskerTestSystem start(OrchestratorConfig config) {
    return new TaskerTestSystem(config);
  }

  StepWorker worker(Map<String, StepHandler> handlers, int concurrency) throws InterruptedException {
    return worker(handlers, concurrency, builder -> {});
  }

  StepWorker worker(Map<String, StepHandler> handlers, int concurrency,
      java.util.function.Consumer<StepWorker.Builder> customizer) throws InterruptedException {
    StepWorker.Builder builder =
        StepWorker.builder()
            .endpoint(tasker.endpoint())
            .handlers(handlers)
            .concurrency(concurrency)
            .drainTimeout(Duration.ofSeconds(5));
    customizer.accept(builder);
    StepWorker worker = builder.build().start();
    if (!worker.awaitRegistered(Duration.ofSeconds(10))) {
      throw new AssertionError("worker did not register");
    }
    workers.add(worker);
    return worker;
  }

  TaskerClient client() {
    return tasker.client();
  }

  Orchestrator orchestrator() {
    return tasker.orchestrator();
  }

  CreatedTask submit(String name, Map<String, ?> context) {
    return tasker.submit(TaskRequest.builder("tests", name).context(context).build());
  }

  TaskSnapshot awaitFinished(UUID taskId) throws InterruptedException {
    return tasker.awaitFinished(taskId, Duration.ofSeconds(20));
  }

  long count(String sql) throws SQLException {
    return tasker.queryForLong(sql);
  }

  /**
   * The count once it reaches {@code expected}, or the last count after 10 s. For rows written after
   * a task finishes, such as a batch completion, which a worker sends after the partial result that
   * completed the task.
   */
  long awaitCount(String sql, long expected) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long count = count(sql);
    while (count != expected && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
      count = count(sql);
    }
    return count;
  }

  @Override
  public void close() {
    workers.forEach(StepWorker::close);
    tasker.close();
  }
}
