package dev.tasker.orchestrator.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tasker.orchestrator.internal.metrics.Readiness;
import dev.tasker.orchestrator.ApiTokens;
import dev.tasker.orchestrator.HttpEndpoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the server agree, and its examples are valid. */
class OpenApiDocumentTest {

  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  private final JsonNode document = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(new OpenApiDocument().json());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> served() {
    ApiServer server = new ApiServer(new HttpEndpoint("127.0.0.1", 0), ApiTokens.NONE,
        new ApiServer.Sources(null, null, () -> new Readiness.Report(true, List.of()), () -> "", () -> 0L), Clock.systemUTC());
    Set<String> routes = new TreeSet<>();
    for (ApiServer.Route route : server.routes()) {
      routes.add(route.method().name() + " " + route.path());
    }
    return routes;
  }

  private Set<String> documented() {
    Set<String> routes = new TreeSet<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (METHODS.contains(method)) {
        routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return routes;
  }

  @Test
  void is_openapi_3_1() {
    assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void every_route_the_server_answers_is_documented_and_every_documented_route_is_served() {
    assertThat(documented()).isEqualTo(served());
  }

  @Test
  void every_operation_documents_a_success_answer_and_has_an_operation_id() {
    List<String> missing = new ArrayList<>();
    document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (!METHODS.contains(op.getKey())) {
        return;
      }
      JsonNode responses = op.getValue().get("responses");
      boolean success = responses != null && (responses.has("200") || responses.has("201"));
      if (!success || !op.getValue().hasNonNull("operationId")) {
        missing.add(op.getKey() + " " + path.getKey());
      }
    }));
    assertThat(missing).isEmpty();
  }

  @Test
  void every_documented_example_validates_against_its_schema() {
    List<String> checked = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    visit(document.get("paths"), "paths", checked, failures);
    visit(document.get("components"), "components", checked, failures);

    assertThat(failures).isEmpty();
    assertThat(checked).hasSizeGreaterThanOrEqualTo(15);
  }

  /** Finds every media type (or parameter) with a schema and examples, and validates each example. */
  private void visit(JsonNode node, String where, List<String> checked, List<String> failures) {
    if (node == null || !node.isContainerNode()) {
      return;
    }
    JsonNode schema = node.get("schema");
    if (schema != null && schema.isObject()) {
      JsonNode examples = node.get("examples");
      if (examples != null && examples.isObject()) {
        examples.fields().forEachRemaining(example -> check(schema, example.getValue().get("value"),
            where + " example " + example.getKey(), checked, failures));
      }
      if (node.has("example")) {
        check(schema, node.get("example"), where + " example", checked, failures);
      }
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getKey().equals("examples") && !field.getKey().equals("example")) {
          visit(field.getValue(), where + "/" + field.getKey(), checked, failures);
        }
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        visit(node.get(i), where + "[" + i + "]", checked, failures);
      }
    }
  }

  private void check(JsonNode schema, JsonNode value, String where, List<String> checked, List<String> failures) {
    // The schema's $refs point into the document's components: validate against a root that has them.
    ObjectNode root = schema.deepCopy();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("components", document.get("components"));
    JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
    Set<ValidationMessage> errors = compiled.validate(value);
    checked.add(where);
    if (!errors.isEmpty()) {
      failures.add(where + ": " + errors);
    }
  }
}
