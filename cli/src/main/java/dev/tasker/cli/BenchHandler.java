package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's handler, {@code bench.noop}: it does no work and reports, in its output, when it
 * started and ended ({@link System#nanoTime()}) and, for a step whose handler config lists its
 * {@code parents}, the hop: from the end of the last of its parents to its own start. Worker
 * processes and the bench read one clock: on Linux the JVM's nanoTime is CLOCK_MONOTONIC, which
 * every process on the machine shares.
 */
final class BenchHandler implements StepHandler {

  /** The handler name the bench templates use. */
  static final String NAME = "bench.noop";

  @Override
  public StepResult handle(dev.tasker.worker.StepContext context) {
    long start = System.nanoTime();
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("start_ns", start);
    long lastParentEnd = Long.MIN_VALUE;
    for (JsonNode parent : context.handlerConfig().path("parents")) {
      JsonNode result = context.previousResult(parent.asText());
      if (result != null && result.has("end_ns")) {
        lastParentEnd = Math.max(lastParentEnd, result.get("end_ns").asLong());
      }
    }
    if (lastParentEnd != Long.MIN_VALUE) {
      output.put("hop_ns", start - lastParentEnd);
    }
    output.put("end_ns", System.nanoTime());
    return StepResult.success(output);
  }
}
