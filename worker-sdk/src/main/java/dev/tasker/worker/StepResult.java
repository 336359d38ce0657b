package dev.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.worker.internal.WorkerJson;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one step attempt: a value, never an exception path. Immutable.
 */
public sealed interface StepResult
    permits StepResult.Success, StepResult.RetryableFailure, StepResult.PermanentFailure {

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
}
