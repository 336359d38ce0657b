package dev.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.internal.ApiJson;
import java.util.Objects;

/**
 * A request to create a task from a template ({@code POST /v1/tasks}). Only the namespace and name
 * are required; {@code null} fields are left out of the request, so the server's defaults apply:
 * the newest version, an empty context, priority 0. Build one with {@link #builder}.
 *
 * @param namespace the template's namespace
 * @param name the template's name
 * @param version the template's version, or {@code null} for the newest
 * @param context the task's input, checked against the template's {@code input_schema}
 * @param priority higher runs first; {@code null} for 0
 * @param idempotencyKey makes a repeated request return the first task, for intentional duplicates
 *     of a context; {@code null} to identify the task by template and context
 * @param initiator who asks, recorded with the task
 * @param sourceSystem the system that asks, recorded with the task
 * @param reason why, recorded with the task
 */
public record NewTask(
    String namespace,
    String name,
    String version,
    JsonNode context,
    Integer priority,
    String idempotencyKey,
    String initiator,
    String sourceSystem,
    String reason) {

  /** Checks the required fields. */
  public NewTask {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** A builder for a task of the template {@code namespace/name}. */
  public static Builder builder(String namespace, String name) {
    return new Builder(namespace, name);
  }

  /** Builds a {@link NewTask}. Not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final String name;
    private String version;
    private JsonNode context;
    private Integer priority;
    private String idempotencyKey;
    private String initiator;
    private String sourceSystem;
    private String reason;

    private Builder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    /** The template's version; the newest when not set. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /**
     * The task's input: a {@code Map}, a record, a POJO or a {@link JsonNode}, turned into JSON
     * with Jackson now.
     */
    public Builder context(Object context) {
      this.context = context == null ? null : ApiJson.MAPPER.valueToTree(context);
      return this;
    }

    /** The task's priority; higher runs first. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** A key naming this task: a request with a key already used returns that task. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** Who asks, recorded with the task. */
    public Builder initiator(String initiator) {
      this.initiator = initiator;
      return this;
    }

    /** The system that asks, recorded with the task. */
    public Builder sourceSystem(String sourceSystem) {
      this.sourceSystem = sourceSystem;
      return this;
    }

    /** Why, recorded with the task. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** The request. */
    public NewTask build() {
      return new NewTask(namespace, name, version, context, priority, idempotencyKey, initiator, sourceSystem, reason);
    }
  }
}
