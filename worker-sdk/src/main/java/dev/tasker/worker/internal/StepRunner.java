package dev.tasker.worker.internal;

import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepStatus;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step attempt and turns whatever happens into a {@link StepOutcome}: the single place
 * where handler results and exceptions are mapped to the protocol. Stateless and thread-safe.
 */
public final class StepRunner {

  /** Error type of a step whose handler this worker does not serve. */
  public static final String UNKNOWN_HANDLER = "unknown_handler";

  /** Error type of a handler that returned {@code null}. */
  public static final String NULL_RESULT = "null_result";

  private static final int MAX_BACKTRACE_FRAMES = 30;
  /** Error type of an output or checkpoint that cannot be delivered (see {@link #unsendable}). */
  public static final String INVALID_OUTPUT = "invalid_output";
  /** Largest output sent, leaving room in the orchestrator's default 16 MiB message limit. */
  static final long MAX_OUTPUT_BYTES = 15L * 1024 * 1024;
  private static final com.fasterxml.jackson.databind.ObjectMapper SIZE_MAPPER =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  private StepRunner() {}

  /** The handler's view of a step request. */
  static StepContext contextOf(StepExecutionRequest step) {
    return StepContext.builder()
        .taskId(step.taskId())
        .stepId(step.stepId())
        .stepName(step.stepName())
        .handlerName(step.handler())
        .taskContext(step.taskContext())
        .previousResults(step.previousResults())
        .handlerConfig(step.handlerConfig())
        .attempt(step.metadata().attempt())
        .maxAttempts(Math.max(step.metadata().attempt(), step.metadata().maxAttempts()))
        .timeout(Duration.ofMillis(step.metadata().timeoutMs()))
        .inputs(step.inputs())
        .checkpoint(step.checkpoint())
        .build();
  }

  /**
   * Runs {@code handler} on {@code context}.
   *
   * @param handler the handler, or {@code null} when the worker does not serve the step's handler
   */
  public static StepOutcome run(StepHandler handler, StepContext context, UUID batchId, Clock clock) {
    long started = System.nanoTime();
    StepResult result;
    if (handler == null) {
      result =
          StepResult.permanentFailure(
              UNKNOWN_HANDLER, "this worker does not serve handler '" + context.handlerName() + "'");
    } else {
      try {
        result = handler.handle(context);
        if (result == null) {
          result =
              new StepResult.RetryableFailure(
                  "handler " + context.handlerName() + " returned null", NULL_RESULT, null);
        }
      } catch (Throwable thrown) {
        if (thrown instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (thrown instanceof VirtualMachineError) {
          log.error("handler {} threw {}", context.handlerName(), thrown.toString());
        }
        return outcome(context, batchId, clock, started, StepStatus.FAILED, null, errorOf(thrown), null);
      }
    }
    // Java 17 has no pattern-matching switch; the sealed hierarchy keeps this chain complete.
    if (result instanceof StepResult.Success success) {
      String problem = unsendable(success.output());
      if (problem != null) {
        return outcome(context, batchId, clock, started, StepStatus.FAILED, null,
            invalid(context, "an output", problem), null);
      }
      return outcome(context, batchId, clock, started, StepStatus.COMPLETED, success.output(), null, null);
    }
    if (result instanceof StepResult.CheckpointYield yield) {
      JsonNode checkpoint = yield.checkpoint();
      String problem = unsendable(checkpoint);
      if (problem != null) {
        return outcome(context, batchId, clock, started, StepStatus.FAILED, null,
            invalid(context, "a checkpoint", problem), null);
      }
      return outcome(context, batchId, clock, started, StepStatus.CHECKPOINT, null, null, checkpoint);
    }
    if (result instanceof StepResult.RetryableFailure failure) {
      Long retryAfterMs = failure.retryAfterDelay().map(Duration::toMillis).orElse(null);
      StepError error =
          new StepError(storable(failure.message()), failure.errorType(), List.of(), true, retryAfterMs);
      return outcome(context, batchId, clock, started, StepStatus.FAILED, null, error, null);
    }
    StepResult.PermanentFailure failure = (StepResult.PermanentFailure) result;
    StepError error = new StepError(storable(failure.message()), failure.errorType(), List.of(), false, null);
    return outcome(context, batchId, clock, started, StepStatus.FAILED, null, error, null);
  }

  private static StepError invalid(StepContext context, String what, String problem) {
    return new StepError("handler " + context.handlerName() + " returned " + what + " that cannot be sent: "
        + problem, INVALID_OUTPUT, List.of(), true, null);
  }

  private static StepOutcome outcome(
      StepContext context,
      UUID batchId,
      Clock clock,
      long startedNanos,
      StepStatus status,
      JsonNode output,
      StepError error,
      JsonNode checkpoint) {
    long elapsedMs = (System.nanoTime() - startedNanos) / 1_000_000;
    Instant finishedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return new StepOutcome(
        batchId, context.stepId(), context.attempt(), status, output, error, checkpoint, elapsedMs,
        finishedAt);
  }

  private static StepError errorOf(Throwable thrown) {
    String message = thrown.getMessage() == null ? thrown.getClass().getName() : thrown.getMessage();
    List<String> backtrace =
        Arrays.stream(thrown.getStackTrace())
            .limit(MAX_BACKTRACE_FRAMES)
            .map(frame -> storable(frame.toString()))
            .toList();
    return new StepError(storable(message), thrown.getClass().getName(), backtrace, true, null);
  }

  /**
   * Why an output could not be delivered, or {@code null}: the orchestrator refuses a result with a
   * NUL character (PostgreSQL cannot store it) or over its message size limit, and a refused result
   * is never acknowledged. Such an output becomes a retryable failure here instead.
   */
  static String unsendable(JsonNode output) {
    if (output == null) {
      return null;
    }
    if (JsonCodec.holdsNul(output)) {
      return "a string contains the character U+0000, which cannot be stored";
    }
    long size;
    try {
      size = SIZE_MAPPER.writeValueAsBytes(output).length;
    } catch (JsonProcessingException e) {
      return "it cannot be written as JSON: " + e.getOriginalMessage();
    }
    return size > MAX_OUTPUT_BYTES
        ? "it is " + size + " bytes of JSON; at most " + MAX_OUTPUT_BYTES + " fit in a message"
        : null;
  }

  /** Replaces NUL characters, which cannot be stored, in error texts. */
  private static String storable(String text) {
    return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
  }
}
