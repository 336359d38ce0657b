package dev.tasker.orchestrator;

import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.Map;

/** Step handlers used by the orchestrator's integration tests. */
final class TestHandlers {

  private TestHandlers() {}

  /** Adds one to the task's {@code start}, or to the output of the step named in config.from. */
  static final StepHandler ADD_ONE =
      context -> {
        String from = context.handlerConfig().path("from").asText("task");
        long input =
            from.equals("task")
                ? context.taskContext().path("start").asLong()
                : context.previousResult(from).get("value").asLong();
        return StepResult.success(Map.of("value", input + 1));
      };

  /** Fails its first attempt with a retryable error, succeeds after. */
  static final StepHandler FAILS_FIRST_ATTEMPT =
      context ->
          context.attempt() == 1
              ? StepResult.retryableFailure("transient outage")
              : StepResult.success(Map.of("attempt", context.attempt()));

  /** Always fails permanently. */
  static final StepHandler FAILS_PERMANENTLY =
      context -> StepResult.permanentFailure("card_declined", "the card was declined");

  /** Succeeds after a short pause, so the failing branch has failed before it ends. */
  static final StepHandler SLOW_SUCCESS =
      context -> {
        Thread.sleep(200);
        return StepResult.success(Map.of("ok", true));
      };

  /** Hangs for 3 seconds on its first attempt (past a 1-second timeout), succeeds after. */
  static final StepHandler HANGS_FIRST_ATTEMPT =
      context -> {
        if (context.attempt() == 1) {
          Thread.sleep(3000);
        }
        return StepResult.success(Map.of("attempt", context.attempt()));
      };

  /** Opened by tests to let {@link #GATE} succeed. */
  static final java.util.concurrent.atomic.AtomicBoolean GATE_OPEN = new java.util.concurrent.atomic.AtomicBoolean();

  /** Fails permanently while {@link #GATE_OPEN} is false; outputs {"value": 1} once open. */
  static final StepHandler GATE =
      context ->
          GATE_OPEN.get()
              ? StepResult.success(Map.of("value", 1))
              : StepResult.permanentFailure("gate_closed", "the gate is closed");

  /** Outputs the gate's value plus one. */
  static final StepHandler READS_GATE =
      context -> StepResult.success(Map.of("value", context.previousResult("gate").get("value").asLong() + 1));

  /** Takes two seconds. */
  static final StepHandler TWO_SECONDS =
      context -> {
        Thread.sleep(2000);
        return StepResult.success(Map.of("slept_ms", 2000));
      };

  static Map<String, StepHandler> all() {
    return Map.ofEntries(
        Map.entry("tests.gate", GATE),
        Map.entry("tests.reads_gate", READS_GATE),
        Map.entry("tests.two_seconds", TWO_SECONDS),
        Map.entry("tests.hangs_first_attempt", HANGS_FIRST_ATTEMPT),
        Map.entry("tests.add_one", ADD_ONE),
        Map.entry("tests.fails_first_attempt", FAILS_FIRST_ATTEMPT),
        Map.entry("tests.fails_permanently", FAILS_PERMANENTLY),
        Map.entry("tests.slow_success", SLOW_SUCCESS));
  }
}
