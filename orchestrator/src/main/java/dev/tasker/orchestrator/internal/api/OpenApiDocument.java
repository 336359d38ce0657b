package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's OpenAPI 3.1 document: written by hand as {@code openapi.yaml} beside this class (easier
 * to read and review than generated annotations), served as JSON.
 */
final class OpenApiDocument {

  private static final String RESOURCE = "openapi.yaml";

  private final String json;

  OpenApiDocument() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the orchestrator's jar");
      }
      JsonNode tree = new YAMLMapper().readTree(in);
      this.json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
  }

  String json() {
    return json;
  }
}
