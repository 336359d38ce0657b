package dev.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handlers every worker must serve under the conformance kit ({@code tasker conformance}); the
 * kit's scenarios send steps for them and check what comes back. Their behaviour is specified in
 * {@code docs/conformance.md}, so that a port in any language can implement them the same way.
 */
public final class ConformanceHandlers {

  /** Echoes what the step received: task context, handler config, previous results, name, attempt. */
  public static final String ECHO = "conformance.echo";
  /** Sleeps {@code task_context.sleep_ms} and reports when it started and finished (epoch ms). */
  public static final String SLEEP = "conformance.sleep";
  /** Fails retryably, with {@code task_context.retry_after_ms} when given. */
  public static final String RETRYABLE = "conformance.retryable";
  /** Fails permanently. */
  public static final String PERMANENT = "conformance.permanent";
  /** Throws an exception. */
  public static final String RAISE = "conformance.raise";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ConformanceHandlers() {}

  /** The conformance handlers by callable name. */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put(ECHO, ConformanceHandlers::echo);
    handlers.put(SLEEP, ConformanceHandlers::sleep);
    handlers.put(RETRYABLE, context -> {
      JsonNode retryAfter = context.taskContext().get("retry_after_ms");
      return new StepResult.RetryableFailure(
          text(context, "message", "retryable failure"),
          "conformance_retryable",
          retryAfter == null ? null : Duration.ofMillis(retryAfter.asLong()));
    });
    handlers.put(PERMANENT, context ->
        new StepResult.PermanentFailure(text(context, "message", "permanent failure"), "conformance_permanent"));
    handlers.put(RAISE, context -> {
      throw new ConformanceException(text(context, "message", "raised"));
    });
    return handlers;
  }

  private static StepResult echo(StepContext context) {
    ObjectNode output = JSON.objectNode();
    output.set("task_context", context.taskContext());
    output.set("handler_config", context.handlerConfig());
    ObjectNode previous = output.putObject("previous_results");
    context.previousResults().forEach(previous::set);
    output.put("step_name", context.stepName());
    output.put("attempt", context.attempt());
    return StepResult.success(output);
  }

  private static StepResult sleep(StepContext context) throws InterruptedException {
    long started = System.currentTimeMillis();
    Thread.sleep(context.taskContext().path("sleep_ms").asLong(0));
    ObjectNode output = JSON.objectNode();
    output.put("started_at_ms", started);
    output.put("finished_at_ms", System.currentTimeMillis());
    return StepResult.success(output);
  }

  private static String text(StepContext context, String field, String fallback) {
    JsonNode value = context.taskContext().get(field);
    return value == null || !value.isTextual() ? fallback : value.asText();
  }

  /** What {@code conformance.raise} throws. */
  public static final class ConformanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConformanceException(String message) {
      super(message);
    }
  }
}
