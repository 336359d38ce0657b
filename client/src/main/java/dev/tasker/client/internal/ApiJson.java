package dev.tasker.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The client's one Jackson mapper: snake_case fields, RFC 3339 timestamps. Thread-safe. */
public final class ApiJson {

  /**
   * Unknown fields in answers are ignored so that a newer server does not break an older client;
   * {@code null} fields are left out of requests, where the server refuses unknown ones and applies
   * its defaults to absent ones.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private ApiJson() {}

  /** Jackson reads a JSON {@code null} into a {@code JsonNode} field as a NullNode; the records want {@code null}. */
  public static JsonNode orNull(JsonNode node) {
    return node == null || node.isNull() ? null : node;
  }
}
