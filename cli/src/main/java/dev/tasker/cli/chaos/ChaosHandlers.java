package dev.tasker.cli.chaos;

import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/** The handlers of the chaos templates, served by {@code tasker worker --handlers chaos}. */
public final class ChaosHandlers {

  /**
   * The environment variable naming a file to which {@code chaos.work} appends a line as each step
   * starts, so a scenario can act while a worker is inside a handler rather than on a time guess.
   */
  public static final String STARTS_FILE_ENV = "TASKER_CHAOS_STARTS_FILE";

  /**
   * {@code chaos.work}: notes its start (see {@link #STARTS_FILE_ENV}), sleeps {@code sleep_ms}
   * from its config, then succeeds.
   */
  public static final StepHandler WORK =
      context -> {
        noteStart(context.stepName() + " " + context.attempt());
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

  private static void noteStart(String line) throws IOException {
    String file = System.getenv(STARTS_FILE_ENV);
    if (file != null) {
      Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  /** Every chaos handler by callable name. */
  public static Map<String, StepHandler> all() {
    return Map.of("chaos.work", WORK, "chaos.hang_first_attempt", HANG_FIRST_ATTEMPT);
  }
}
