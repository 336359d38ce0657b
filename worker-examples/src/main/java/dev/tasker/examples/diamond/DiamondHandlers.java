package dev.tasker.examples.diamond;

import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The diamond's four handlers. Each output is {@code {"value": <number>}}. Arithmetic is exact:
 * an overflow is a permanent failure, not a wrong answer.
 */
public final class DiamondHandlers {

  private DiamondHandlers() {}

  /** {@code diamond.start}: the square of the task's {@code even_number}. */
  public static final StepHandler START =
      context -> squared(context.taskContext().path("even_number").asLong());

  /** {@code diamond.branch_b}: the square of start's value. */
  public static final StepHandler BRANCH_B = context -> squared(value(context, "diamond_start"));

  /** {@code diamond.branch_c}: the square of start's value. */
  public static final StepHandler BRANCH_C = context -> squared(value(context, "diamond_start"));

  /** {@code diamond.end}: the square of the product of both branches. */
  public static final StepHandler END =
      context -> {
        try {
          long product = Math.multiplyExact(value(context, "diamond_branch_b"), value(context, "diamond_branch_c"));
          return squared(product);
        } catch (ArithmeticException e) {
          return StepResult.permanentFailure("overflow", "the product of the branches overflows a 64-bit integer");
        }
      };

  /** The handlers by callable name. */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put("diamond.start", START);
    handlers.put("diamond.branch_b", BRANCH_B);
    handlers.put("diamond.branch_c", BRANCH_C);
    handlers.put("diamond.end", END);
    return handlers;
  }

  private static long value(StepContext context, String step) {
    return context.previousResult(step).get("value").asLong();
  }

  private static StepResult squared(long n) {
    try {
      return StepResult.success(Map.of("value", Math.multiplyExact(n, n)));
    } catch (ArithmeticException e) {
      return StepResult.permanentFailure("overflow", n + " squared overflows a 64-bit integer");
    }
  }
}
