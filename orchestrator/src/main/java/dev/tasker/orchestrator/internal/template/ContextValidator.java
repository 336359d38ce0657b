package dev.tasker.orchestrator.internal.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tasker.orchestrator.InvalidTaskContextException;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateException;
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

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder -> builder.defaultMetaSchemaIri(SpecVersion.VersionFlag.V202012.getId()));

  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  /**
   * Compiles a schema, failing on an invalid one.
   *
   * @throws TemplateException naming {@code where}
   */
  static JsonSchema compile(JsonNode schema, String where) {
    try {
      JsonSchema compiledSchema = FACTORY.getSchema(schema);
      compiledSchema.initializeValidators();
      return compiledSchema;
    } catch (RuntimeException e) {
      throw new TemplateException(where + ": input_schema is not a valid JSON Schema: " + e.getMessage(), e);
    }
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
    Set<ValidationMessage> errors = schema.validate(context);
    if (!errors.isEmpty()) {
      throw new InvalidTaskContextException(
          template.fullName(), errors.stream().map(ValidationMessage::getMessage).sorted().toList());
    }
  }
}
