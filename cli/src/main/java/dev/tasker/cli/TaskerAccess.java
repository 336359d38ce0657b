package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.CreatedTask;
import dev.tasker.client.DeadLetter;
import dev.tasker.client.NewTask;
import dev.tasker.client.Task;
import dev.tasker.orchestrator.TemplateRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the operator commands do, on the database or through an orchestrator's HTTP API. Both speak
 * in the HTTP client's types, so a command prints the same lines either way.
 */
interface TaskerAccess extends AutoCloseable {

  /** Through the API when {@code api} names one, else on the database named by TASKER_DATABASE_URL. */
  static TaskerAccess open(ApiOptions api, String command, TemplateRegistry templates) {
    return api.enabled() ? new ApiAccess(api.client()) : new DatabaseAccess(command, templates);
  }

  CreatedTask createTask(NewTask request);

  Optional<Task> task(UUID taskId);

  boolean awaitFinished(Collection<UUID> taskIds, Duration timeout, Duration pollInterval) throws InterruptedException;

  void cancelTask(UUID taskId);

  void retryStep(UUID stepId);

  void resolveStep(UUID stepId, JsonNode output);

  List<DeadLetter> deadLetters(boolean openOnly, int limit);

  @Override
  void close();
}
