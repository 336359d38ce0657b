package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks real API answers against the schemas of the OpenAPI document the server publishes. */
final class OpenApiSchemas {

  private final JsonNode components;
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  OpenApiSchemas(ApiHttp api) {
    this.components = api.get("/v1/openapi.json", null).json().get("components");
  }

  /** Asserts that {@code value} is valid against {@code #/components/schemas/<name>}. */
  void assertValid(String name, JsonNode value) {
    JsonSchema schema = compiled.computeIfAbsent(name, key -> {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
      root.put("$ref", "#/components/schemas/" + key);
      root.set("components", components);
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
    });
    assertThat(schema.validate(value)).as("%s against the documented %s schema", value, name).isEmpty();
  }
}
