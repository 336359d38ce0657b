package dev.tasker.orchestrator.internal.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import dev.tasker.orchestrator.InvalidTaskContextException;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates task contexts against their template's {@code input_schema} (JSON Schema, draft
 * 2020-12 unless the schema names another with {@code $schema}). Compiled schemas are cached per
 * template. Thread-safe.
 */
public final class ContextValidator {

  /** Deepest input_schema accepted; real schemas are a few levels deep. */
  static final int MAX_SCHEMA_DEPTH = 64;

  // Only the meta-schemas bundled with the library (mapped to classpath: IRIs) may be loaded: a
  // $ref or $schema naming a URL or a file would make template loading fetch it, or hang on it.
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder -> builder
              .defaultMetaSchemaIri(SpecVersion.VersionFlag.V202012.getId())
              .schemaLoaders(loaders -> loaders.add(
                  new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))));

  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  /**
   * Compiles a schema, failing on an invalid one.
   *
   * @throws TemplateException naming {@code where}
   */
  static JsonSchema compile(JsonNode schema, String where) {
    int depth = depth(schema);
    if (depth > MAX_SCHEMA_DEPTH) {
      throw new TemplateException(
          where + ": input_schema is nested " + depth + " levels deep; at most " + MAX_SCHEMA_DEPTH + " are accepted");
    }
    try {
      JsonSchema compiledSchema = FACTORY.getSchema(schema);
      compiledSchema.initializeValidators();
      return compiledSchema;
    } catch (RuntimeException | StackOverflowError e) {
      throw new TemplateException(where + ": input_schema is not a valid JSON Schema: " + e.getMessage(), e);
    }
  }

  /** How deeply {@code node} nests objects and arrays, computed without recursion. */
  static int depth(JsonNode node) {
    int deepest = 0;
    Deque<Map.Entry<JsonNode, Integer>> pending = new ArrayDeque<>();
    pending.push(Map.entry(node, 1));
    while (!pending.isEmpty()) {
      Map.Entry<JsonNode, Integer> next = pending.pop();
      if (next.getKey().isContainerNode()) {
        deepest = Math.max(deepest, next.getValue());
        for (JsonNode child : next.getKey()) {
          pending.push(Map.entry(child, next.getValue() + 1));
        }
      }
    }
    return deepest;
  }

  /**
   * Checks {@code context} against {@code template}'s schema.
   *
   * @throws InvalidTaskContextException listing every violation
   */
  public void validate(TaskTemplate template, JsonNode context) {
    if (context == null || !context.isObject()) {
      throw new InvalidTaskContextException(template.fullName(), List.of("the context must be a JSON object"));
    }
    if (template.inputSchema() == null) {
      return;
    }
    JsonSchema schema =
        compiled.computeIfAbsent(
            template.fullName() + "#" + template.inputSchema().hashCode(),
            key -> compile(template.inputSchema(), template.fullName()));
    Set<ValidationMessage> errors;
    try {
      errors = schema.validate(context);
    } catch (StackOverflowError e) {
      throw new InvalidTaskContextException(template.fullName(), List.of("the context is nested too deeply to validate"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidTaskContextException(
          template.fullName(), errors.stream().map(ValidationMessage::getMessage).sorted().toList());
    }
  }
}
