package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.CreatedTask;
import dev.tasker.client.DeadLetter;
import dev.tasker.client.NewTask;
import dev.tasker.client.Task;
import dev.tasker.client.TaskerHttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator commands through an orchestrator's HTTP API. The API records the token's role as
 * the operator, not cli:$USER.
 */
final class ApiAccess implements TaskerAccess {

  private final TaskerHttpClient client;

  ApiAccess(TaskerHttpClient client) {
    this.client = client;
  }

  TaskerHttpClient client() {
    return client;
  }

  @Override
  public CreatedTask createTask(NewTask request) {
    return client.createTask(request);
  }

  @Override
  public Optional<Task> task(UUID taskId) {
    return client.task(taskId);
  }

  @Override
  public boolean awaitFinished(Collection<UUID> taskIds, Duration timeout, Duration pollInterval)
      throws InterruptedException {
    return client.awaitFinished(taskIds, timeout, pollInterval);
  }

  @Override
  public void cancelTask(UUID taskId) {
    client.cancelTask(taskId);
  }

  @Override
  public void retryStep(UUID stepId) {
    client.retryStep(stepId);
  }

  @Override
  public void resolveStep(UUID stepId, JsonNode output) {
    client.resolveStep(stepId, output);
  }

  @Override
  public List<DeadLetter> deadLetters(boolean openOnly, int limit) {
    return client.deadLetters(openOnly, limit);
  }

  @Override
  public void close() {}
}
