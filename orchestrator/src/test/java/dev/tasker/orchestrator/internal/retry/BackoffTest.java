package dev.tasker.orchestrator.internal.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(new SplittableRandom(42));

  @Test
  void the_delay_doubles_per_attempt_with_jitter_in_its_upper_half() {
    for (int attempt = 1; attempt <= 4; attempt++) {
      long exponential = 1000L << (attempt - 1);
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delayMillis(attempt, 1000, 60_000, null)).isBetween(exponential / 2, exponential);
      }
    }
  }

  @Test
  void the_delay_never_exceeds_the_maximum() {
    for (int attempt = 1; attempt <= 80; attempt++) {
      assertThat(backoff.delayMillis(attempt, 1000, 5000, null)).isBetween(0L, 5000L);
    }
  }

  @Test
  void a_handlers_retry_after_wins_but_is_capped_at_the_maximum() {
    assertThat(backoff.delayMillis(1, 1000, 30_000, 7000L)).isEqualTo(7000);
    assertThat(backoff.delayMillis(1, 1000, 30_000, 90_000L)).isEqualTo(30_000);
    assertThat(backoff.delayMillis(1, 1000, 30_000, 0L)).isZero();
  }

  @Test
  void a_zero_base_retries_at_once() {
    assertThat(backoff.delayMillis(3, 0, 0, null)).isZero();
  }

  @Test
  void jitter_spreads_retries_of_steps_that_failed_together() {
    long distinct = java.util.stream.IntStream.range(0, 100)
        .mapToLong(i -> backoff.delayMillis(3, 1000, 60_000, null)).distinct().count();

    assertThat(distinct).isGreaterThan(50);
  }
}
