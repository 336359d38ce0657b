package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Execution limits of one step attempt.
 *
 * @param attempt which attempt this is, starting at 1; results must echo it
 * @param maxAttempts how many attempts the step may have in all, at least 1
 * @param timeoutMs how long this attempt may run, in milliseconds, at least 1
 */
public record StepMetadata(
    @JsonProperty(required = true) int attempt,
    @JsonProperty(required = true) int maxAttempts,
    @JsonProperty(required = true) long timeoutMs) {

  /** Validates the fields. */
  public StepMetadata {
    Checks.atLeast(attempt, 1, "metadata.attempt");
    Checks.atLeast(maxAttempts, 1, "metadata.max_attempts");
    Checks.atLeast(timeoutMs, 1, "metadata.timeout_ms");
  }
}
