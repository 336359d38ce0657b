package dev.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.internal.ApiJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A step. In a {@link Task} the fields {@code taskId}, {@code input} and {@code batches} may be
 * absent ({@code null} and an empty list); {@code GET /v1/steps/{step_id}} and the step operations
 * answer with all of them.
 *
 * @param stepId the step's id
 * @param taskId its task's id, or {@code null}
 * @param name its name in the template
 * @param handler its handler name
 * @param state for example {@code pending}, {@code in_progress}, {@code complete}, {@code error},
 *     {@code resolved_manually}
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed
 * @param output its output when complete or resolved, else {@code null}
 * @param lastError the last failure reported, else {@code null}
 * @param nextAttemptAt when a step waiting for retry becomes due, else {@code null}
 * @param dependsOn the names of the steps it waits for
 * @param input the task context the step was given, or {@code null}
 * @param batches the batches it went out in, oldest first
 */
public record Step(
    UUID stepId,
    UUID taskId,
    String name,
    String handler,
    String state,
    int attempts,
    int maxAttempts,
    JsonNode output,
    JsonNode lastError,
    Instant nextAttemptAt,
    List<String> dependsOn,
    JsonNode input,
    List<Batch> batches) {

  /** JSON nulls become {@code null}; lists absent from the answer become empty lists. */
  public Step {
    output = ApiJson.orNull(output);
    lastError = ApiJson.orNull(lastError);
    input = ApiJson.orNull(input);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    batches = batches == null ? List.of() : List.copyOf(batches);
  }

  /**
   * A batch the step went out in.
   *
   * @param batchId the batch's id
   * @param workerId the worker it went to
   * @param orchestratorId the orchestrator that sent it
   * @param state the batch's state
   * @param createdAt when it was sent
   * @param attempt the step's attempt number in it
   * @param outcome what the worker reported for this step in it: {@code completed}, {@code failed},
   *     or {@code null} when nothing came back
   */
  public record Batch(
      UUID batchId, String workerId, String orchestratorId, String state, Instant createdAt, int attempt,
      String outcome) {}
}
