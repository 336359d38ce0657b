package dev.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.worker.internal.DynamicOutcomes;
import dev.tasker.worker.internal.WorkerJson;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one step attempt: a value, never an exception path. Immutable.
 *
 * <p>Besides plain success and the two failures, the factories cover the steps of dynamic
 * workflows: a {@code decision} step chooses the steps to create ({@link #decision(List)}, {@link
 * #noBranches()}), a {@code batchable} step splits its work into batches ({@link #batches(String,
 * List, long)}, {@link #noBatches()}); both are successes whose output carries the outcome. A
 * {@code batch_worker} step can stop early and resume later ({@link #checkpointYield(Object, long,
 * Object)}).
 */
public sealed interface StepResult
    permits StepResult.Success,
        StepResult.RetryableFailure,
        StepResult.PermanentFailure,
        StepResult.CheckpointYield {

  /**
   * The step succeeded.
   *
   * @param output the step's result, visible to its dependents as a previous result; any JSON
   *     value
   */
  record Success(JsonNode output) implements StepResult {
    /** Validates the output. */
    public Success {
      Objects.requireNonNull(output, "output");
    }
  }

  /**
   * The attempt failed and another may succeed.
   *
   * @param message what went wrong, for people
   * @param errorType a short machine-readable class of error
   * @param retryAfter the earliest the next attempt should run, or {@code null} to let the
   *     template's backoff decide; the orchestrator caps it at the template's max backoff
   */
  record RetryableFailure(String message, String errorType, Duration retryAfter)
      implements StepResult {
    /** Validates the fields. */
    public RetryableFailure {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(errorType, "errorType");
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must be >= 0 but was " + retryAfter);
      }
    }

    /** The requested retry delay, if any. */
    public Optional<Duration> retryAfterDelay() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /**
   * The step failed and no retry can help; it ends in error.
   *
   * @param message what went wrong, for people
   * @param errorType a short machine-readable class of error
   */
  record PermanentFailure(String message, String errorType) implements StepResult {
    /** Validates the fields. */
    public PermanentFailure {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(errorType, "errorType");
    }
  }

  /**
   * A batch worker stops after recording its progress; the orchestrator stores the checkpoint and
   * sends the step again later (a new attempt of the same step), and the handler resumes from
   * {@link StepContext#checkpoint()}. Not an outcome: the step neither completes nor fails, and
   * yielding uses up no retry. Sent as status {@code checkpoint}.
   *
   * @param cursor where to resume; any JSON value but null
   * @param itemsProcessed how many items the step has processed in all so far, at least 0
   * @param accumulatedResults what the step has gathered so far, handed back on resumption; any
   *     JSON value, or {@code null} for none
   */
  record CheckpointYield(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults)
      implements StepResult {
    /** Validates the fields. */
    public CheckpointYield {
      if (cursor == null || cursor.isNull()) {
        throw new IllegalArgumentException("cursor must not be null");
      }
      if (itemsProcessed < 0) {
        throw new IllegalArgumentException("itemsProcessed must be >= 0 but was " + itemsProcessed);
      }
      if (accumulatedResults != null && accumulatedResults.isNull()) {
        accumulatedResults = null;
      }
    }

    /**
     * The checkpoint object as sent: {@code {"cursor": .., "items_processed": .., "accumulated_results":
     * ..}}, without {@code accumulated_results} when there are none. A new node on each call.
     */
    public ObjectNode checkpoint() {
      ObjectNode checkpoint = JsonNodeFactory.instance.objectNode();
      checkpoint.set("cursor", cursor);
      checkpoint.put("items_processed", itemsProcessed);
      if (accumulatedResults != null) {
        checkpoint.set("accumulated_results", accumulatedResults);
      }
      return checkpoint;
    }
  }

  /** Error type used when a handler does not name one. */
  String DEFAULT_ERROR_TYPE = "handler_error";

  /**
   * Success with {@code output} converted to JSON by Jackson: a {@code Map}, a record, a POJO, a
   * number, a string or a {@link JsonNode}.
   *
   * @throws IllegalArgumentException when Jackson cannot convert the value
   */
  static Success success(Object output) {
    if (output instanceof JsonNode node) {
      return new Success(node);
    }
    return new Success(WorkerJson.MAPPER.valueToTree(output));
  }

  /** Success with an empty JSON object as output. */
  static Success success() {
    return new Success(JsonNodeFactory.instance.objectNode());
  }

  /** A retryable failure; the template's backoff decides when to retry. */
  static RetryableFailure retryableFailure(String message) {
    return new RetryableFailure(message, DEFAULT_ERROR_TYPE, null);
  }

  /** A retryable failure that should not be retried before {@code retryAfter}. */
  static RetryableFailure retryableFailure(String message, Duration retryAfter) {
    return new RetryableFailure(message, DEFAULT_ERROR_TYPE, retryAfter);
  }

  /** A permanent failure. */
  static PermanentFailure permanentFailure(String message) {
    return new PermanentFailure(message, DEFAULT_ERROR_TYPE);
  }

  /** A permanent failure with a machine-readable error type. */
  static PermanentFailure permanentFailure(String errorType, String message) {
    return new PermanentFailure(message, errorType);
  }

  /**
   * Success of a {@code decision} step that creates the steps {@code stepNames} (names of steps in
   * the task template). The output is {@code {"decision_point_outcome": {"type": "create_steps",
   * "step_names": [..]}}}. An empty list means no branches, as {@link #noBranches()}.
   *
   * @throws IllegalArgumentException when a name is null or blank, or named twice
   */
  static Success decision(List<String> stepNames) {
    return decision(stepNames, null);
  }

  /**
   * As {@link #decision(List)}, with the fields of {@code output} kept beside {@code
   * decision_point_outcome} as the step's output.
   *
   * @param output converted to JSON as by {@link #success(Object)}; must become a JSON object (or
   *     be {@code null} for none) without a {@code decision_point_outcome} field
   * @throws IllegalArgumentException when a name is null, blank or named twice, or the output is no
   *     JSON object or holds {@code decision_point_outcome}
   */
  static Success decision(List<String> stepNames, Object output) {
    return new Success(DynamicOutcomes.decision(stepNames, output));
  }

  /**
   * Success of a {@code decision} step that creates no steps: output {@code
   * {"decision_point_outcome": {"type": "no_branches"}}}.
   */
  static Success noBranches() {
    return noBranches(null);
  }

  /**
   * As {@link #noBranches()}, with the fields of {@code output} kept beside {@code
   * decision_point_outcome}.
   *
   * @throws IllegalArgumentException as {@link #decision(List, Object)} for the output
   */
  static Success noBranches(Object output) {
    return new Success(DynamicOutcomes.decision(List.of(), output));
  }

  /**
   * Success of a {@code batchable} step that creates one {@code workerTemplateName} step per
   * cursor. The output is {@code {"batch_processing_outcome": {"type": "create_batches",
   * "worker_template_name": .., "worker_count": cursors.size(), "cursor_configs": [..],
   * "total_items": totalItems}}}. No cursors means no batches, as {@link #noBatches()}; {@link
   * BatchCursor#split(long, long)} makes the cursors.
   *
   * @param workerTemplateName the template name of the {@code batch_worker} step to create per batch
   * @param cursors the batches, each with a distinct batch id
   * @param totalItems how many items the batches cover in all, at least 0
   * @throws IllegalArgumentException when the name is blank, a cursor is null, two share a batch id,
   *     or {@code totalItems} is negative
   */
  static Success batches(String workerTemplateName, List<BatchCursor> cursors, long totalItems) {
    return batches(workerTemplateName, cursors, totalItems, null);
  }

  /**
   * As {@link #batches(String, List, long)}, with the fields of {@code output} kept beside {@code
   * batch_processing_outcome} as the step's output.
   *
   * @param output converted to JSON as by {@link #success(Object)}; must become a JSON object (or
   *     be {@code null} for none) without a {@code batch_processing_outcome} field
   * @throws IllegalArgumentException as {@link #batches(String, List, long)}, or when the output is
   *     no JSON object or holds {@code batch_processing_outcome}
   */
  static Success batches(String workerTemplateName, List<BatchCursor> cursors, long totalItems, Object output) {
    return new Success(DynamicOutcomes.batches(workerTemplateName, cursors, totalItems, output));
  }

  /**
   * Success of a {@code batchable} step that has nothing to process: output {@code
   * {"batch_processing_outcome": {"type": "no_batches"}}}.
   */
  static Success noBatches() {
    return noBatches(null);
  }

  /**
   * As {@link #noBatches()}, with the fields of {@code output} kept beside {@code
   * batch_processing_outcome}.
   *
   * @throws IllegalArgumentException as {@link #batches(String, List, long, Object)} for the output
   */
  static Success noBatches(Object output) {
    return new Success(DynamicOutcomes.noBatches(output));
  }

  /**
   * A checkpoint yield of a {@code batch_worker} step: stop now and resume from this checkpoint in
   * a later attempt. Values are converted to JSON as by {@link #success(Object)}.
   *
   * @param cursor where to resume, such as the next item's position; not {@code null}
   * @param itemsProcessed how many items the step has processed in all so far, at least 0
   * @param accumulatedResults what the step has gathered so far, or {@code null} for none
   * @throws IllegalArgumentException when the cursor is null or {@code itemsProcessed} negative
   */
  static CheckpointYield checkpointYield(Object cursor, long itemsProcessed, Object accumulatedResults) {
    return new CheckpointYield(
        cursor == null ? null : DynamicOutcomes.toJson(cursor),
        itemsProcessed,
        accumulatedResults == null ? null : DynamicOutcomes.toJson(accumulatedResults));
  }
}
