package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;

/**
 * A request to create a task from a template. Immutable.
 *
 * @param namespace the template's namespace
 * @param name the template's name
 * @param version the template's version, or {@code null} for the highest known
 * @param context the task's input, a JSON object validated against the template's input_schema
 * @param priority higher runs first among ready steps; default 0
 * @param initiator who asked, for people (for example {@code api:checkout})
 * @param sourceSystem which system asked, for people
 * @param reason why, for people
 * @param idempotencyKey when set, tasks with the same template and key are the same task; when
 *     {@code null}, tasks with the same template and context are
 */
public record TaskRequest(
    String namespace,
    String name,
    String version,
    JsonNode context,
    int priority,
    String initiator,
    String sourceSystem,
    String reason,
    String idempotencyKey) {

  private static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules().build();

  /** Validates the fields. */
  public TaskRequest {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    context = context == null ? JsonNodeFactory.instance.objectNode() : context;
  }

  /** A builder for a task of template {@code namespace/name}. */
  public static Builder builder(String namespace, String name) {
    return new Builder(namespace, name);
  }

  /** Builds a {@link TaskRequest}. Not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final String name;
    private String version;
    private JsonNode context;
    private int priority;
    private String initiator;
    private String sourceSystem;
    private String reason;
    private String idempotencyKey;

    private Builder(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    /** The template version; default the highest known. */
    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The context: a {@code Map}, a record, a POJO or a JSON object node. */
    public Builder context(Object context) {
      this.context = context instanceof JsonNode node ? node : MAPPER.valueToTree(context);
      return this;
    }

    /** The priority; default 0. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /** Who asked. */
    public Builder initiator(String initiator) {
      this.initiator = initiator;
      return this;
    }

    /** Which system asked. */
    public Builder sourceSystem(String sourceSystem) {
      this.sourceSystem = sourceSystem;
      return this;
    }

    /** Why. */
    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    /** An explicit idempotency key. */
    public Builder idempotencyKey(String idempotencyKey) {
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    /** Builds the request. */
    public TaskRequest build() {
      return new TaskRequest(namespace, name, version, context, priority, initiator, sourceSystem, reason, idempotencyKey);
    }
  }
}
