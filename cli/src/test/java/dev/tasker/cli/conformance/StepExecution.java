package dev.tasker.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.examples.conformance.ConformanceHandlers;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepStatus;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Runs one step attempt for {@link FaultyWorker} and maps what the handler did to the protocol: a
 * returned result as it says, a thrown exception as a retryable failure whose type is the
 * exception's class, an unserved handler as a permanent {@code unknown_handler} failure. Thread-safe.
 */
final class StepExecution {

  private static final int MAX_BACKTRACE_FRAMES = 30;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Fault fault;
  private final Map<String, StepHandler> handlers;

  StepExecution(Fault fault, Map<String, StepHandler> handlers) {
    this.fault = fault;
    this.handlers = Map.copyOf(handlers);
  }

  /**
   * The pool the steps run on: {@code concurrency} threads, as many as the credit the worker
   * announces, unless the fault ignores the credit or runs one step at a time.
   */
  ExecutorService newExecutor(int concurrency) {
    ThreadFactory daemons = runnable -> {
      Thread thread = new Thread(runnable, "faulty-step");
      thread.setDaemon(true);
      return thread;
    };
    return switch (fault) {
      case EXCEED_CREDIT -> Executors.newCachedThreadPool(daemons);
      case SERIAL_STEPS -> Executors.newSingleThreadExecutor(daemons);
      default -> Executors.newFixedThreadPool(concurrency, daemons);
    };
  }

  Set<String> handlerNames() {
    return handlers.keySet();
  }

  HeldResults.Outcome run(UUID batchId, StepExecutionRequest step) {
    long started = System.nanoTime();
    StepHandler handler = handlers.get(step.handler());
    StepStatus status = StepStatus.FAILED;
    JsonNode output = null;
    StepError error = null;
    if (handler == null) {
      error = new StepError("this worker does not serve handler '" + step.handler() + "'", "unknown_handler",
          List.of(), fault == Fault.RETRYABLE_UNKNOWN_HANDLER, null);
    } else {
      try {
        StepResult result = handler.handle(contextOf(step));
        if (result instanceof StepResult.Success success) {
          status = StepStatus.COMPLETED;
          output = success.output();
          if (fault == Fault.ECHO_CHANGES_NUMBERS && step.handler().equals(ConformanceHandlers.ECHO)) {
            output = throughDouble(output);
          }
        } else if (result instanceof StepResult.RetryableFailure failure) {
          error = new StepError(failure.message(), failure.errorType(), List.of(), true,
              failure.retryAfterDelay().map(Duration::toMillis).orElse(null));
        } else if (result instanceof StepResult.PermanentFailure failure) {
          error = new StepError(failure.message(), failure.errorType(), List.of(), false, null);
        } else {
          error = new StepError("handler " + step.handler() + " returned null", "null_result", List.of(), true, null);
        }
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        error = new StepError(e.getMessage() == null ? e.getClass().getName() : e.getMessage(),
            e.getClass().getName(), backtrace(e), fault != Fault.RAISE_PERMANENT, null);
      }
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    return new HeldResults.Outcome(batchId, step.stepId(), step.metadata().attempt(), status, output, error,
        elapsedMs, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  private static StepContext contextOf(StepExecutionRequest step) {
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
        .build();
  }

  private static List<String> backtrace(Throwable thrown) {
    return Arrays.stream(thrown.getStackTrace()).limit(MAX_BACKTRACE_FRAMES).map(StackTraceElement::toString)
        .toList();
  }

  /** {@code value} with every integer rounded to the nearest double, as a JavaScript JSON parser reads it. */
  private static JsonNode throughDouble(JsonNode value) {
    if (value.isIntegralNumber()) {
      return BigIntegerNode.valueOf(new BigDecimal(value.doubleValue()).toBigInteger());
    }
    if (value.isObject()) {
      ObjectNode copy = JSON.objectNode();
      value.properties().forEach(field -> copy.set(field.getKey(), throughDouble(field.getValue())));
      return copy;
    }
    if (value.isArray()) {
      ArrayNode copy = JSON.arrayNode();
      value.forEach(element -> copy.add(throughDouble(element)));
      return copy;
    }
    return value;
  }
}
