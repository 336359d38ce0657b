package dev.tasker.cli;

import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's handler, {@code bench.noop}: it does no work and records when each step started
 * and ended on the worker (same JVM, so one clock). A step whose handler config names a {@code
 * parent} also records the hop: from the parent's end to its own start.
 */
final class BenchTimings {

  private final Map<UUID, Long> endNanos = new ConcurrentHashMap<>();
  private final Map<UUID, Long> hopNanos = new ConcurrentHashMap<>();

  StepHandler handler() {
    return context -> {
      long start = System.nanoTime();
      String parent = context.handlerConfig().path("parent").asText(null);
      if (parent != null) {
        UUID parentId = UUID.fromString(context.previousResult(parent).get("step_id").asText());
        Long parentEnd = endNanos.get(parentId);
        if (parentEnd != null) {
          hopNanos.put(context.stepId(), start - parentEnd);
        }
      }
      StepResult result = StepResult.success(Map.of("step_id", context.stepId().toString()));
      endNanos.put(context.stepId(), System.nanoTime());
      return result;
    };
  }

  /** Hop durations recorded, in nanoseconds. */
  long[] hops() {
    return hopNanos.values().stream().mapToLong(Long::longValue).toArray();
  }
}
