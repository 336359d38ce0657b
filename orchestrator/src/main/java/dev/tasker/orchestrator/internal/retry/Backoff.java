package dev.tasker.orchestrator.internal.retry;

import dev.tasker.orchestrator.BackoffKind;
import java.util.random.RandomGenerator;

/**
 * The one place retry delays are computed. Exponential with "equal jitter": the delay before
 * attempt {@code n+1} is half of {@code min(max, base * 2^(n-1))} plus a random part up to the
 * other half, so retries of many steps that failed together spread out. A handler's retry-after
 * replaces the computed delay but is capped at the template's maximum too. Thread-safe if the
 * random generator is.
 */
public final class Backoff {

  private final RandomGenerator random;

  public Backoff(RandomGenerator random) {
    this.random = random;
  }

  /**
   * @param failedAttempt the attempt that just failed, from 1
   * @param baseMs the template's {@code backoff_base_ms}
   * @param maxMs the template's {@code max_backoff_ms}
   * @param retryAfterMs the handler's requested delay, or {@code null}
   * @return milliseconds to wait before the next attempt
   */
  public long delayMillis(int failedAttempt, long baseMs, long maxMs, Long retryAfterMs) {
    return delayMillis(BackoffKind.EXPONENTIAL, failedAttempt, baseMs, maxMs, retryAfterMs);
  }

  /**
   * {@link #delayMillis(int, long, long, Long)} for any kind of backoff: linear grows by {@code
   * baseMs} per failed attempt (with the same jitter), none is no delay.
   */
  public long delayMillis(BackoffKind kind, int failedAttempt, long baseMs, long maxMs, Long retryAfterMs) {
    if (retryAfterMs != null) {
      return Math.min(retryAfterMs, maxMs);
    }
    if (kind == BackoffKind.NONE) {
      return 0;
    }
    if (kind == BackoffKind.LINEAR) {
      long linear = baseMs > maxMs / Math.max(failedAttempt, 1) ? maxMs : Math.min(maxMs, baseMs * Math.max(failedAttempt, 1));
      return jittered(linear);
    }
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 40);
    long exponential = baseMs > (Long.MAX_VALUE >> shift) ? maxMs : Math.min(maxMs, baseMs << shift);
    return jittered(exponential);
  }

  /** Half of {@code delay} plus a random part up to the other half. */
  private long jittered(long delay) {
    long half = delay / 2;
    return half + (delay - half == 0 ? 0 : random.nextLong(delay - half + 1));
  }
}
