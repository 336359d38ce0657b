package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the API answers with, as records written in {@code snake_case} (docs/api.md and the
 * OpenAPI document describe each; {@code OpenApiDocumentIT} checks they agree).
 */
final class ApiViews {

  private ApiViews() {}

  record Created(UUID taskId, boolean created, int stepCount, String template) {}

  record CreatedList(List<Created> tasks) {}

  record TaskSummary(UUID taskId, String template, String namespace, String name, String version, String state,
      int priority, Instant createdAt, Instant completedAt, int totalSteps, int doneSteps) {}

  record TaskPage(List<TaskSummary> tasks, String next) {}

  /** A step of a task; {@code kind} is its type from the template (a created batch worker's is batch_worker). */
  record Step(UUID stepId, UUID taskId, String name, String kind, String handler, String state, int attempts,
      int maxAttempts, JsonNode output, JsonNode lastError, Instant nextAttemptAt, Instant lastAttemptedAt,
      Instant completedAt, Instant createdAt, Instant updatedAt, List<String> dependsOn) {

    Step withDependsOn(List<String> parents) {
      return new Step(stepId, taskId, name, kind, handler, state, attempts, maxAttempts, output, lastError,
          nextAttemptAt, lastAttemptedAt, completedAt, createdAt, updatedAt, parents);
    }
  }

  record Edge(String from, String to) {}

  record Task(UUID taskId, String template, String namespace, String name, String version, String state,
      int priority, JsonNode context, String initiator, String sourceSystem, String reason, Instant createdAt,
      Instant completedAt, int totalSteps, int doneSteps, List<Step> steps, List<Edge> edges) {}

  record Batch(UUID batchId, String workerId, String orchestratorId, String state, Instant createdAt, int attempt,
      String outcome) {}

  /**
   * A step with what it was given: the task context ({@code input}), what the orchestrator gave a step
   * it created ({@code inputs}, a batch worker's cursor), the last checkpoint it yielded, and the step
   * whose result created it (null for a step created with its task).
   */
  record StepDetail(UUID stepId, UUID taskId, String name, String kind, String handler, String state, int attempts,
      int maxAttempts, JsonNode output, JsonNode lastError, Instant nextAttemptAt, Instant lastAttemptedAt,
      Instant completedAt, Instant createdAt, Instant updatedAt, List<String> dependsOn, UUID createdBy,
      JsonNode input, JsonNode inputs, JsonNode checkpoint, List<Batch> batches) {}

  record DeadLetter(long deadLetterId, UUID stepId, UUID taskId, String stepName, String reason, int attempts,
      JsonNode lastError, Instant createdAt, Instant resolvedAt, String resolution) {}

  record DeadLetterList(List<DeadLetter> deadLetters) {}

  record Worker(String workerId, String language, String sdkVersion, String state, List<String> handlers,
      int concurrency, Instant lastHeartbeatAt) {}

  record WorkerList(List<Worker> workers) {}

  record TemplateStep(String name, String type, String description, String handler, List<String> dependsOn,
      int maxAttempts, long timeoutMs) {}

  record TemplateSummary(String namespace, String name, String version, String description, Instant createdAt,
      int stepCount) {}

  record TemplateList(List<TemplateSummary> templates) {}

  record Template(String namespace, String name, String version, String description, Instant createdAt,
      JsonNode inputSchema, List<TemplateStep> steps, JsonNode definition) {}

  record ThroughputPoint(Instant minute, long stepsCompleted) {}

  record Overview(Map<String, Long> tasks, Map<String, Long> steps, Map<String, Long> workers,
      List<ThroughputPoint> throughput) {}
}
