package dev.tasker.cli.chaos;

import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.Map;

/** The handlers of the chaos templates, served by {@code tasker worker --handlers chaos}. */
public final class ChaosHandlers {

  /** {@code chaos.work}: sleeps {@code sleep_ms} from its config, then succeeds. */
  public static final StepHandler WORK =
      context -> {
        Thread.sleep(context.handlerConfig().path("sleep_ms").asLong(100));
        return StepResult.success(Map.of("step", context.stepName(), "attempt", context.attempt()));
      };

  /** {@code chaos.hang_first_attempt}: hangs for a minute on attempt 1, succeeds at once after. */
  public static final StepHandler HANG_FIRST_ATTEMPT =
      context -> {
        if (context.attempt() == 1) {
          Thread.sleep(60_000);
        }
        return StepResult.success(Map.of("attempt", context.attempt()));
      };

  private ChaosHandlers() {}

  /** Every chaos handler by callable name. */
  public static Map<String, StepHandler> all() {
    return Map.of("chaos.work", WORK, "chaos.hang_first_attempt", HANG_FIRST_ATTEMPT);
  }
}
