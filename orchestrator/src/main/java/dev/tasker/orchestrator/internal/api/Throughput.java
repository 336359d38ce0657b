package dev.tasker.orchestrator.internal.api;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Steps this orchestrator finished per minute over the last {@value #MINUTES} minutes, for the
 * dashboard: {@link #sample()} reads a running total (the metrics counter, so no query) and
 * credits the increase to the current minute. Thread-safe.
 */
final class Throughput {

  static final int MINUTES = 15;

  private final LongSupplier finishedSteps;
  private final Clock clock;
  private final long[] perMinute = new long[MINUTES];
  private long currentMinute;
  private long lastTotal;

  Throughput(LongSupplier finishedSteps, Clock clock) {
    this.finishedSteps = finishedSteps;
    this.clock = clock;
    this.currentMinute = minute(clock.instant());
    this.lastTotal = finishedSteps.getAsLong();
  }

  /** Takes a reading; call every few seconds. */
  synchronized void sample() {
    long total = finishedSteps.getAsLong();
    advanceTo(minute(clock.instant()));
    perMinute[(int) (currentMinute % MINUTES)] += Math.max(0, total - lastTotal);
    lastTotal = total;
  }

  /** Oldest minute first, the current (partial) minute last. */
  synchronized List<ApiViews.ThroughputPoint> lastMinutes() {
    sample();
    List<ApiViews.ThroughputPoint> points = new ArrayList<>(MINUTES);
    for (long m = currentMinute - MINUTES + 1; m <= currentMinute; m++) {
      points.add(new ApiViews.ThroughputPoint(Instant.EPOCH.plus(m, ChronoUnit.MINUTES), perMinute[(int) (m % MINUTES)]));
    }
    return points;
  }

  private void advanceTo(long minute) {
    for (long m = Math.max(currentMinute + 1, minute - MINUTES + 1); m <= minute; m++) {
      perMinute[(int) (m % MINUTES)] = 0;
    }
    currentMinute = Math.max(currentMinute, minute);
  }

  private static long minute(Instant instant) {
    return instant.getEpochSecond() / 60;
  }
}
