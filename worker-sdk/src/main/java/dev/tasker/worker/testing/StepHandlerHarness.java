package dev.tasker.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.PartialResult;
import dev.tasker.worker.BatchCursor;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.internal.StepRunner;
import dev.tasker.worker.internal.WorkerJson;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs a {@link StepHandler} in a unit test, without sockets or an orchestrator.
 *
 * <pre>{@code
 * StepResult result = StepHandlerHarness.forHandler(new ValidateOrder())
 *     .taskContext(Map.of("order_id", 42))
 *     .previousResult("reserve_inventory", Map.of("reservation_id", "r-1"))
 *     .run();
 * }</pre>
 *
 * {@link #run()} calls the handler directly, so a thrown exception reaches the test. {@link
 * #runAsWorker()} maps the outcome exactly as a {@code StepWorker} would (an exception becomes a
 * retryable failure) and returns the partial result the worker would send. Not thread-safe.
 */
public final class StepHandlerHarness {

  private final StepHandler handler;
  private final StepContext.Builder context = StepContext.builder();
  private final Map<String, JsonNode> previousResults = new LinkedHashMap<>();
  private String handlerName = "handler";

  private StepHandlerHarness(StepHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** A harness for {@code handler}. */
  public static StepHandlerHarness forHandler(StepHandler handler) {
    return new StepHandlerHarness(handler);
  }

  /** The task context: a {@code Map}, a record, a POJO or a JSON object node. */
  public StepHandlerHarness taskContext(Object taskContext) {
    context.taskContext(toJson(taskContext));
    return this;
  }

  /** Adds the output of dependency {@code stepName}. */
  public StepHandlerHarness previousResult(String stepName, Object output) {
    previousResults.put(stepName, toJson(output));
    return this;
  }

  /** The handler configuration (the template's {@code handler.initialization}). */
  public StepHandlerHarness handlerConfig(Object handlerConfig) {
    context.handlerConfig(toJson(handlerConfig));
    return this;
  }

  /** The step's name; default {@code step}. */
  public StepHandlerHarness stepName(String stepName) {
    context.stepName(stepName);
    return this;
  }

  /** The handler name; default {@code handler}. */
  public StepHandlerHarness handlerName(String handlerName) {
    this.handlerName = handlerName;
    return this;
  }

  /** The attempt number and the maximum; default 1 of 1. */
  public StepHandlerHarness attempt(int attempt, int maxAttempts) {
    context.attempt(attempt).maxAttempts(maxAttempts);
    return this;
  }

  /** The attempt's timeout; default 30 s. */
  public StepHandlerHarness timeout(Duration timeout) {
    context.timeout(timeout);
    return this;
  }

  /** The batch worker's cursor, as the orchestrator puts it in the step's inputs; default none. */
  public StepHandlerHarness cursor(BatchCursor cursor) {
    context.cursor(cursor);
    return this;
  }

  /**
   * The checkpoint the step resumes from, as it yielded it ({@code {"cursor": ...,
   * "items_processed": ..., "accumulated_results": ...}}); default none.
   */
  public StepHandlerHarness checkpoint(Object checkpoint) {
    context.checkpoint(toJson(checkpoint));
    return this;
  }

  /** The step id; default random. */
  public StepHandlerHarness stepId(UUID stepId) {
    context.stepId(stepId);
    return this;
  }

  /** The context the handler will see. */
  public StepContext context() {
    return context.handlerName(handlerName).previousResults(previousResults).build();
  }

  /**
   * Calls the handler once.
   *
   * @throws Exception whatever the handler throws
   */
  public StepResult run() throws Exception {
    return handler.handle(context());
  }

  /**
   * Runs the handler as a worker would and returns the partial result it would send (sequence 1,
   * a fresh batch id, worker id {@code harness}).
   */
  public PartialResult runAsWorker() {
    return StepRunner.run(handler, context(), Ids.newId(), Clock.systemUTC())
        .toPartialResult("harness", 1);
  }

  private static JsonNode toJson(Object value) {
    return value instanceof JsonNode node ? node : WorkerJson.MAPPER.valueToTree(value);
  }
}
