package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Why a step attempt failed.
 *
 * @param message human-readable description
 * @param errorType a short machine-readable class of error, such as the exception class name, or
 *     {@code unknown_handler}, {@code timeout}
 * @param backtrace where the error happened, innermost frame first; may be empty
 * @param retryable whether another attempt may succeed; {@code false} ends the step in error
 * @param retryAfterMs the earliest a retry should run, in milliseconds from now; absent means the
 *     template's backoff decides
 */
public record StepError(
    @JsonProperty(required = true) String message,
    @JsonProperty(required = true) String errorType,
    List<String> backtrace,
    @JsonProperty(required = true) boolean retryable,
    Long retryAfterMs) {

  /** Validates and copies the fields. */
  public StepError {
    Checks.required(message, "error.message");
    Checks.requiredText(errorType, "error.error_type");
    backtrace = backtrace == null ? List.of() : Checks.copyOf(backtrace, "error.backtrace");
    if (retryAfterMs != null) {
      Checks.atLeast(retryAfterMs, 0, "error.retry_after_ms");
    }
  }
}
