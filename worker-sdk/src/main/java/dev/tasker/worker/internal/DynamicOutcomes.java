package dev.tasker.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.worker.BatchCursor;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the outputs of decision and batchable steps, the shapes the orchestrator reads to create
 * steps. Stateless and thread-safe.
 */
public final class DynamicOutcomes {

  /** Output field of a decision step's outcome. */
  public static final String DECISION_POINT_OUTCOME = "decision_point_outcome";

  /** Output field of a batchable step's outcome. */
  public static final String BATCH_PROCESSING_OUTCOME = "batch_processing_outcome";

  private DynamicOutcomes() {}

  /** {@code value} as JSON: a {@link JsonNode} as it is, anything else converted by Jackson. */
  public static JsonNode toJson(Object value) {
    return value instanceof JsonNode node ? node : WorkerJson.MAPPER.valueToTree(value);
  }

  /** A decision output creating {@code stepNames}, or with no branches when it is empty. */
  public static ObjectNode decision(List<String> stepNames, Object output) {
    Objects.requireNonNull(stepNames, "stepNames");
    ObjectNode outcome = JsonNodeFactory.instance.objectNode();
    if (stepNames.isEmpty()) {
      outcome.put("type", "no_branches");
    } else {
      outcome.put("type", "create_steps");
      ArrayNode names = outcome.putArray("step_names");
      Set<String> seen = new HashSet<>();
      for (String name : stepNames) {
        if (name == null || name.isBlank()) {
          throw new IllegalArgumentException("stepNames must not hold a null or blank name but was " + stepNames);
        }
        if (!seen.add(name)) {
          throw new IllegalArgumentException("stepNames must name each step once but named '" + name + "' twice");
        }
        names.add(name);
      }
    }
    return withOutcome(output, DECISION_POINT_OUTCOME, outcome);
  }

  /** A batchable output creating one worker step per cursor, or no batches when there are none. */
  public static ObjectNode batches(String workerTemplateName, List<BatchCursor> cursors, long totalItems,
      Object output) {
    Objects.requireNonNull(cursors, "cursors");
    if (totalItems < 0) {
      throw new IllegalArgumentException("totalItems must be >= 0 but was " + totalItems);
    }
    if (cursors.isEmpty()) {
      return noBatches(output);
    }
    if (workerTemplateName == null || workerTemplateName.isBlank()) {
      throw new IllegalArgumentException("workerTemplateName must not be blank");
    }
    ObjectNode outcome = JsonNodeFactory.instance.objectNode();
    outcome.put("type", "create_batches");
    outcome.put("worker_template_name", workerTemplateName);
    outcome.put("worker_count", cursors.size());
    ArrayNode configs = outcome.putArray("cursor_configs");
    Set<String> seen = new HashSet<>();
    for (BatchCursor cursor : cursors) {
      if (cursor == null) {
        throw new IllegalArgumentException("cursors must not hold null");
      }
      if (!seen.add(cursor.batchId())) {
        throw new IllegalArgumentException(
            "cursors must have distinct batch ids but '" + cursor.batchId() + "' appears twice");
      }
      configs.add(WorkerJson.MAPPER.valueToTree(cursor));
    }
    outcome.put("total_items", totalItems);
    return withOutcome(output, BATCH_PROCESSING_OUTCOME, outcome);
  }

  /** A batchable output with no batches. */
  public static ObjectNode noBatches(Object output) {
    ObjectNode outcome = JsonNodeFactory.instance.objectNode().put("type", "no_batches");
    return withOutcome(output, BATCH_PROCESSING_OUTCOME, outcome);
  }

  private static ObjectNode withOutcome(Object output, String field, ObjectNode outcome) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    if (output != null) {
      JsonNode fields = toJson(output);
      if (!fields.isObject()) {
        throw new IllegalArgumentException(
            "output must convert to a JSON object but was " + fields.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      if (fields.has(field)) {
        throw new IllegalArgumentException("output must not hold '" + field + "': the outcome goes there");
      }
      result.setAll((ObjectNode) fields);
    }
    result.set(field, outcome);
    return result;
  }
}
