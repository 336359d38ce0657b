package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link TaskTemplate}.
 *
 * @param name unique within the template
 * @param description for people; may be empty
 * @param handler the handler (callable) name a worker must serve to run this step
 * @param handlerConfig the handler's {@code initialization} object, sent with every attempt
 * @param dependencies names of the steps that must complete first
 * @param retry the retry policy
 * @param timeout how long one attempt may run
 * @param type the kind of step
 */
public record StepTemplate(
    String name,
    String description,
    String handler,
    JsonNode handlerConfig,
    List<String> dependencies,
    RetryPolicy retry,
    Duration timeout,
    StepType type) {

  /** Default for {@code timeout_seconds}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Validates and copies the fields. */
  public StepTemplate {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(handlerConfig, "handlerConfig");
    dependencies = List.copyOf(dependencies);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(timeout, "timeout");
    description = description == null ? "" : description;
    type = type == null ? StepType.STANDARD : type;
  }

  /** A standard step. */
  public StepTemplate(String name, String description, String handler, JsonNode handlerConfig,
      List<String> dependencies, RetryPolicy retry, Duration timeout) {
    this(name, description, handler, handlerConfig, dependencies, retry, timeout, StepType.STANDARD);
  }
}
