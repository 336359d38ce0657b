package dev.tasker.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.worker.internal.WorkerJson;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a {@link StepHandler} gets for one attempt of a step. Immutable and thread-safe.
 *
 * <p>JSON values are exposed as Jackson trees; the {@code ...As(Class)} methods bind them to your
 * own records or classes.
 *
 * <p>A {@code batch_worker} step finds its batch in {@link #cursor()} and, when it yielded a
 * checkpoint before (or failed after one), where to resume in {@link #checkpoint()}.
 */
public final class StepContext {

  private final UUID taskId;
  private final UUID stepId;
  private final String stepName;
  private final String handlerName;
  private final JsonNode taskContext;
  private final Map<String, JsonNode> previousResults;
  private final JsonNode handlerConfig;
  private final int attempt;
  private final int maxAttempts;
  private final Duration timeout;
  private final JsonNode inputs;
  private final JsonNode checkpoint;

  private StepContext(Builder builder) {
    this.taskId = Objects.requireNonNull(builder.taskId, "taskId");
    this.stepId = Objects.requireNonNull(builder.stepId, "stepId");
    this.stepName = Objects.requireNonNull(builder.stepName, "stepName");
    this.handlerName = Objects.requireNonNull(builder.handlerName, "handlerName");
    this.taskContext = Objects.requireNonNull(builder.taskContext, "taskContext");
    this.previousResults = Map.copyOf(builder.previousResults);
    this.handlerConfig = Objects.requireNonNull(builder.handlerConfig, "handlerConfig");
    if (builder.attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1 but was " + builder.attempt);
    }
    if (builder.maxAttempts < builder.attempt) {
      throw new IllegalArgumentException(
          "maxAttempts must be >= attempt (" + builder.attempt + ") but was " + builder.maxAttempts);
    }
    this.attempt = builder.attempt;
    this.maxAttempts = builder.maxAttempts;
    this.timeout = Objects.requireNonNull(builder.timeout, "timeout");
    this.inputs = Objects.requireNonNull(builder.inputs, "inputs");
    if (!inputs.isObject()) {
      throw new IllegalArgumentException("inputs must be a JSON object");
    }
    this.checkpoint = builder.checkpoint == null || builder.checkpoint.isNull() ? null : builder.checkpoint;
    if (checkpoint != null && !checkpoint.isObject()) {
      throw new IllegalArgumentException("checkpoint must be a JSON object");
    }
  }

  /**
   * A builder with defaults for tests: random ids, empty JSON objects, attempt 1 of 1, 30 s, no
   * checkpoint.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The task this step belongs to. */
  public UUID taskId() {
    return taskId;
  }

  /** The step; stable across attempts, so a good idempotency key. */
  public UUID stepId() {
    return stepId;
  }

  /** The step's name in its template. */
  public String stepName() {
    return stepName;
  }

  /** The handler name the step was dispatched under. */
  public String handlerName() {
    return handlerName;
  }

  /** The task's input context, a JSON object. */
  public JsonNode taskContext() {
    return taskContext;
  }

  /** The task's input context bound to {@code type}. */
  public <T> T taskContextAs(Class<T> type) {
    return bind(taskContext, type, "task context");
  }

  /** Outputs of all the step's dependencies, direct and transitive, keyed by step name. */
  public Map<String, JsonNode> previousResults() {
    return previousResults;
  }

  /**
   * The output of dependency {@code stepName}.
   *
   * @throws IllegalArgumentException naming the step and the available ones when it is not a
   *     dependency of this step
   */
  public JsonNode previousResult(String stepName) {
    JsonNode result = previousResults.get(stepName);
    if (result == null) {
      throw new IllegalArgumentException(
          "no previous result for step '" + stepName + "'; available: " + previousResults.keySet());
    }
    return result;
  }

  /** The output of dependency {@code stepName} bound to {@code type}. */
  public <T> T previousResultAs(String stepName, Class<T> type) {
    return bind(previousResult(stepName), type, "previous result of " + stepName);
  }

  /** The template's {@code handler.initialization} for this step, a JSON object (maybe empty). */
  public JsonNode handlerConfig() {
    return handlerConfig;
  }

  /** The handler configuration bound to {@code type}. */
  public <T> T handlerConfigAs(Class<T> type) {
    return bind(handlerConfig, type, "handler config");
  }

  /** Which attempt this is, starting at 1. */
  public int attempt() {
    return attempt;
  }

  /** How many attempts the step may have in all. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Whether a retryable failure of this attempt will be retried. */
  public boolean hasAttemptsLeft() {
    return attempt < maxAttempts;
  }

  /** How long this attempt may run. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * What the orchestrator gave this step when it created it, a JSON object: for a {@code
   * batch_worker} step {@code {"cursor": {..}}}; empty for other steps.
   */
  public JsonNode inputs() {
    return inputs;
  }

  /**
   * The batch this {@code batch_worker} step processes, from {@code inputs.cursor}; empty for
   * other steps.
   *
   * @throws IllegalArgumentException when {@code inputs.cursor} is not a batch cursor (inside a
   *     handler, a retryable failure)
   */
  public Optional<BatchCursor> cursor() {
    // Read here rather than when the context is built: a malformed cursor then fails this step's
    // handler, not the worker thread that received the batch.
    JsonNode cursor = inputs.get("cursor");
    if (cursor == null || cursor.isNull()) {
      return Optional.empty();
    }
    return Optional.of(bind(cursor, BatchCursor.class, "inputs.cursor"));
  }

  /**
   * The last checkpoint this step yielded ({@link StepResult#checkpointYield}), a JSON object with
   * {@code cursor}, {@code items_processed} and {@code accumulated_results}; empty on a step that
   * has not yielded. A retry after a failure gets the last checkpoint too.
   */
  public Optional<JsonNode> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  /** Where to resume: the {@code cursor} of the last checkpoint; empty without one. */
  public Optional<JsonNode> checkpointCursor() {
    return checkpointField("cursor");
  }

  /** The {@code accumulated_results} of the last checkpoint; empty without one or when it had none. */
  public Optional<JsonNode> accumulatedResults() {
    return checkpointField("accumulated_results");
  }

  /** The {@code items_processed} of the last checkpoint; 0 without one or when it had none. */
  public long itemsProcessed() {
    return checkpointField("items_processed").map(JsonNode::asLong).orElse(0L);
  }

  private Optional<JsonNode> checkpointField(String name) {
    JsonNode value = checkpoint == null ? null : checkpoint.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static <T> T bind(JsonNode node, Class<T> type, String what) {
    try {
      return WorkerJson.MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot read " + what + " as " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "StepContext[step=" + stepName + " " + stepId + ", task=" + taskId + ", attempt="
        + attempt + "/" + maxAttempts + "]";
  }

  /** Builds a {@link StepContext}. Not thread-safe. */
  public static final class Builder {
    private UUID taskId = UUID.randomUUID();
    private UUID stepId = UUID.randomUUID();
    private String stepName = "step";
    private String handlerName = "handler";
    private JsonNode taskContext = JsonNodeFactory.instance.objectNode();
    private Map<String, JsonNode> previousResults = Map.of();
    private JsonNode handlerConfig = JsonNodeFactory.instance.objectNode();
    private int attempt = 1;
    private int maxAttempts = 1;
    private Duration timeout = Duration.ofSeconds(30);
    private JsonNode inputs = JsonNodeFactory.instance.objectNode();
    private JsonNode checkpoint;

    private Builder() {}

    /** Sets the task id. */
    public Builder taskId(UUID taskId) {
      this.taskId = taskId;
      return this;
    }

    /** Sets the step id. */
    public Builder stepId(UUID stepId) {
      this.stepId = stepId;
      return this;
    }

    /** Sets the step name. */
    public Builder stepName(String stepName) {
      this.stepName = stepName;
      return this;
    }

    /** Sets the handler name. */
    public Builder handlerName(String handlerName) {
      this.handlerName = handlerName;
      return this;
    }

    /** Sets the task context (a JSON object). */
    public Builder taskContext(JsonNode taskContext) {
      this.taskContext = taskContext;
      return this;
    }

    /** Sets the previous results, keyed by step name. */
    public Builder previousResults(Map<String, JsonNode> previousResults) {
      this.previousResults = previousResults;
      return this;
    }

    /** Sets the handler configuration (a JSON object). */
    public Builder handlerConfig(JsonNode handlerConfig) {
      this.handlerConfig = handlerConfig;
      return this;
    }

    /** Sets the attempt number (from 1). */
    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    /** Sets the maximum number of attempts. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Sets the attempt's timeout. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Sets the step's inputs (a JSON object); default empty. Replaces a {@link #cursor} set before. */
    public Builder inputs(JsonNode inputs) {
      this.inputs = inputs;
      return this;
    }

    /** Sets {@code inputs.cursor}, as the orchestrator does for a {@code batch_worker} step. */
    public Builder cursor(BatchCursor cursor) {
      ObjectNode withCursor =
          inputs instanceof ObjectNode object ? object.deepCopy() : JsonNodeFactory.instance.objectNode();
      withCursor.set("cursor", WorkerJson.MAPPER.valueToTree(Objects.requireNonNull(cursor, "cursor")));
      this.inputs = withCursor;
      return this;
    }

    /** Sets the last checkpoint (a JSON object), or {@code null} for none; default none. */
    public Builder checkpoint(JsonNode checkpoint) {
      this.checkpoint = checkpoint;
      return this;
    }

    /** Builds the context. */
    public StepContext build() {
      return new StepContext(this);
    }
  }
}
