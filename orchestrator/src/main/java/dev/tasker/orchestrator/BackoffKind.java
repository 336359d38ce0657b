package dev.tasker.orchestrator;

import java.util.Locale;

/** How the delay between attempts grows ({@code retry.backoff}). */
public enum BackoffKind {
  /** {@code backoff_base_ms} doubling per attempt, capped at {@code max_backoff_ms}, with jitter. */
  EXPONENTIAL,
  /** {@code backoff_base_ms} times the number of the failed attempt, capped, with jitter. */
  LINEAR,
  /** No delay: the next attempt is due at once (a handler's retry-after still counts). */
  NONE;

  /** The template and database form: {@code exponential}, {@code linear}, {@code none}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the template form.
   *
   * @throws IllegalArgumentException naming the accepted values, for anything else
   */
  public static BackoffKind fromWireName(String name) {
    for (BackoffKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("retry.backoff '" + name + "' is not one of exponential, linear, none");
  }
}
