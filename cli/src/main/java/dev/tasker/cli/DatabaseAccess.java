package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.client.CreatedTask;
import dev.tasker.client.DeadLetter;
import dev.tasker.client.NewTask;
import dev.tasker.client.Step;
import dev.tasker.client.Task;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.StepSnapshot;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.schema.DatabaseSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The operator commands on the database named by TASKER_DATABASE_URL. */
final class DatabaseAccess implements TaskerAccess {

  private final HikariDataSource pool;
  final TaskerClient client;

  DatabaseAccess(String command, TemplateRegistry templates) {
    DatabaseSettings database = DatabaseSettings.fromEnvironment(System.getenv())
        .orElseThrow(() -> new IllegalStateException(command + " needs TASKER_DATABASE_URL (for example"
            + " postgres://user:password@localhost:5432/tasker), or --api URL (TASKER_API_URL) to go through an"
            + " orchestrator's HTTP API"));
    pool = ConnectionPools.open(database, 2, "tasker-operator");
    client = new TaskerClient(pool, templates);
  }

  /** Who is acting, for the transitions' metadata: cli:$USER. */
  static String operator() {
    String user = System.getenv("USER");
    return "cli:" + (user == null || user.isBlank() ? "unknown" : user);
  }

  @Override
  public CreatedTask createTask(NewTask request) {
    TaskRequest.Builder task = TaskRequest.builder(request.namespace(), request.name()).version(request.version())
        .initiator(request.initiator()).sourceSystem(request.sourceSystem()).reason(request.reason())
        .idempotencyKey(request.idempotencyKey());
    if (request.context() != null) {
      task.context(request.context());
    }
    if (request.priority() != null) {
      task.priority(request.priority());
    }
    dev.tasker.orchestrator.CreatedTask created = client.initializeTask(task.build());
    return new CreatedTask(created.taskId(), created.created(), created.stepCount(), created.template());
  }

  @Override
  public Optional<Task> task(UUID taskId) {
    return client.task(taskId).map(DatabaseAccess::task);
  }

  @Override
  public boolean awaitFinished(Collection<UUID> taskIds, Duration timeout, Duration pollInterval)
      throws InterruptedException {
    return client.awaitFinished(taskIds, timeout, pollInterval);
  }

  @Override
  public void cancelTask(UUID taskId) {
    client.cancelTask(taskId, operator());
  }

  @Override
  public void retryStep(UUID stepId) {
    client.retryStep(stepId, operator());
  }

  @Override
  public void resolveStep(UUID stepId, JsonNode output) {
    client.resolveStep(stepId, output, operator());
  }

  @Override
  public List<DeadLetter> deadLetters(boolean openOnly, int limit) {
    return client.deadLetters(openOnly, limit).stream()
        .map(d -> new DeadLetter(d.deadLetterId(), d.stepId(), d.taskId(), d.stepName(), d.reason(), d.attempts(),
            d.lastError(), d.createdAt(), d.resolvedAt(), d.resolution()))
        .toList();
  }

  @Override
  public void close() {
    pool.close();
  }

  // Only what the commands print: the snapshot has no namespace, priority or edges of its own.
  private static Task task(TaskSnapshot task) {
    List<Step> steps = task.steps().stream().map(DatabaseAccess::step).toList();
    return new Task(task.taskId(), task.template(), null, null, null, task.state().dbName(), task.context(), 0, null,
        null, null, task.createdAt(), task.completedAt(), steps.size(), 0, steps, List.of());
  }

  private static Step step(StepSnapshot step) {
    return new Step(step.stepId(), null, step.name(), step.handler(), step.state().dbName(), step.attempts(),
        step.maxAttempts(), step.results(), step.lastError(), step.nextAttemptAt(), List.of(), null, List.of());
  }
}
