package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;
import java.util.UUID;

/**
 * One step inside a {@link StepBatchRequest}: everything a handler needs to run it.
 *
 * @param stepId UUIDv7 of the workflow step
 * @param taskId UUIDv7 of the task the step belongs to
 * @param stepName the step's name in its task template
 * @param handler the handler (callable) name the worker must run
 * @param handlerConfig the template's {@code handler.initialization} object; empty when absent
 * @param taskContext the task's input context (a JSON object)
 * @param previousResults outputs of the step's dependencies (direct and transitive), keyed by step
 *     name; empty for a step without dependencies
 * @param metadata attempt number and limits
 * @param inputs what the orchestrator gave this step when it created it, a JSON object: for a
 *     batch worker, {@code {"cursor": {"batch_id", "start_cursor", "end_cursor", "batch_size"}}};
 *     empty for other steps
 * @param checkpoint the last checkpoint the step yielded (a JSON object), to resume from; absent
 *     when it has none
 */
public record StepExecutionRequest(
    @JsonProperty(required = true) UUID stepId,
    @JsonProperty(required = true) UUID taskId,
    @JsonProperty(required = true) String stepName,
    @JsonProperty(required = true) String handler,
    JsonNode handlerConfig,
    @JsonProperty(required = true) JsonNode taskContext,
    Map<String, JsonNode> previousResults,
    @JsonProperty(required = true) StepMetadata metadata,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) JsonNode inputs,
    JsonNode checkpoint) {

  /** Validates and copies the fields. */
  public StepExecutionRequest {
    Checks.required(stepId, "step_id");
    Checks.required(taskId, "task_id");
    Checks.requiredText(stepName, "step_name");
    Checks.requiredText(handler, "handler");
    handlerConfig =
        handlerConfig == null || handlerConfig.isNull()
            ? JsonNodeFactory.instance.objectNode()
            : handlerConfig;
    if (!handlerConfig.isObject()) {
      throw new IllegalArgumentException("handler_config must be a JSON object");
    }
    Checks.required(taskContext, "task_context");
    if (!taskContext.isObject()) {
      throw new IllegalArgumentException("task_context must be a JSON object");
    }
    previousResults =
        previousResults == null ? Map.of() : Checks.copyOf(previousResults, "previous_results");
    Checks.required(metadata, "metadata");
    inputs = inputs == null || inputs.isNull() ? JsonNodeFactory.instance.objectNode() : inputs;
    if (!inputs.isObject()) {
      throw new IllegalArgumentException("inputs must be a JSON object");
    }
    if (checkpoint != null && checkpoint.isNull()) {
      checkpoint = null;
    }
    if (checkpoint != null) {
      Checkpoints.checkShape(checkpoint, "checkpoint");
    }
  }

  /** A step created with the task: no inputs, no checkpoint. */
  public StepExecutionRequest(UUID stepId, UUID taskId, String stepName, String handler, JsonNode handlerConfig,
      JsonNode taskContext, Map<String, JsonNode> previousResults, StepMetadata metadata) {
    this(stepId, taskId, stepName, handler, handlerConfig, taskContext, previousResults, metadata, null, null);
  }
}
