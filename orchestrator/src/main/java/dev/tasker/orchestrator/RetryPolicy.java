package dev.tasker.orchestrator;

/**
 * How a step is retried after a retryable failure. The first attempt always runs, whatever these
 * settings say; {@code retryable: false} only means no second attempt.
 *
 * @param retryable whether retryable failures are retried at all
 * @param maxAttempts attempts in all, at least 1
 * @param backoffBaseMs delay before the second attempt, in milliseconds; it doubles for each
 *     further attempt, with jitter
 * @param maxBackoffMs the longest delay, in milliseconds, also capping a handler's retry-after
 * @param backoff how the delay grows from one attempt to the next
 */
public record RetryPolicy(
    boolean retryable, int maxAttempts, long backoffBaseMs, long maxBackoffMs, BackoffKind backoff) {

  /** Default for {@code retry.max_attempts}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Default for {@code retry.backoff_base_ms}. */
  public static final long DEFAULT_BACKOFF_BASE_MS = 1000;
  /** Default for {@code retry.max_backoff_ms}. */
  public static final long DEFAULT_MAX_BACKOFF_MS = 30_000;

  /** The policy used when a step has no {@code retry} section. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(true, DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF_BASE_MS, DEFAULT_MAX_BACKOFF_MS,
          BackoffKind.EXPONENTIAL);

  /** Validates the values. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry.max_attempts must be >= 1 but was " + maxAttempts);
    }
    if (backoffBaseMs < 0) {
      throw new IllegalArgumentException("retry.backoff_base_ms must be >= 0 but was " + backoffBaseMs);
    }
    if (maxBackoffMs < backoffBaseMs) {
      throw new IllegalArgumentException(
          "retry.max_backoff_ms must be >= backoff_base_ms (" + backoffBaseMs + ") but was " + maxBackoffMs);
    }
    if (backoff == null) {
      backoff = BackoffKind.EXPONENTIAL;
    }
  }

  /** An exponential policy. */
  public RetryPolicy(boolean retryable, int maxAttempts, long backoffBaseMs, long maxBackoffMs) {
    this(retryable, maxAttempts, backoffBaseMs, maxBackoffMs, BackoffKind.EXPONENTIAL);
  }

  /** How many attempts the step really gets: 1 when not retryable, else {@link #maxAttempts()}. */
  public int effectiveMaxAttempts() {
    return retryable ? maxAttempts : 1;
  }
}
