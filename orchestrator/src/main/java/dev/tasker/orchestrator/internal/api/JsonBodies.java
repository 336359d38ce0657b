package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: {@code application/json} only, at most {@value #MAX_BODY_BYTES}
 * bytes, one JSON value, no unknown fields, no duplicate keys, no coercion between strings, numbers
 * and booleans. Each refusal is an {@link ApiProblem} naming the JSON path at fault.
 */
final class JsonBodies {

  /** Largest request body: 1 MiB. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** The API's JSON: snake_case fields, ISO-8601 times, nulls written. */
  static final ObjectMapper MAPPER = configure(JsonMapper.builder()
      .findAndAddModules()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build());

  private JsonBodies() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
        CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  /** The body as {@code type}, or an empty body as {@code whenEmpty} (null: a body is required). */
  static <T> T read(Context ctx, Class<T> type, T whenEmpty) {
    byte[] body = bytes(ctx);
    if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      if (whenEmpty != null) {
        return whenEmpty;
      }
      throw new ApiProblem(ProblemKind.MALFORMED_JSON, "the request body is empty; a JSON object is required");
    }
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
      throw new ApiProblem(ProblemKind.UNSUPPORTED_MEDIA_TYPE,
          "the body's Content-Type is " + (contentType == null ? "missing" : "'" + contentType + "'")
              + "; send application/json");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (JsonParseException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_JSON, "the body is not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (MismatchedInputException e) {
      // FAIL_ON_TRAILING_TOKENS: a second value after the first.
      throw new ApiProblem(ProblemKind.MALFORMED_JSON, "the body holds more than one JSON value; send one object");
    } catch (IOException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_JSON, "the body is not valid JSON: "
          + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
    }
    if (!tree.isObject()) {
      throw new ApiProblem(ProblemKind.INVALID_REQUEST, "the body must be a JSON object but was " + kind(tree),
          List.of(new ApiProblem.FieldError("$", "must be an object")));
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      String pointer = pointer(e);
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString)
          .sorted().collect(Collectors.joining(", ", "; known fields: ", ""));
      throw new ApiProblem(ProblemKind.INVALID_REQUEST, pointer + " is not a known field" + known,
          List.of(new ApiProblem.FieldError(pointer, "is not a known field")));
    } catch (JsonMappingException e) {
      String pointer = pointer(e);
      String expected = e.getCause() instanceof InputCoercionException ? "a number in range" : expectedOf(e);
      throw new ApiProblem(ProblemKind.INVALID_REQUEST, pointer + " must be " + expected,
          List.of(new ApiProblem.FieldError(pointer, "must be " + expected)));
    } catch (JsonProcessingException e) {
      throw new ApiProblem(ProblemKind.INVALID_REQUEST, "the body does not fit: " + e.getOriginalMessage());
    }
  }

  private static byte[] bytes(Context ctx) {
    long declared = ctx.contentLength();
    if (declared > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_JSON, "the body could not be read: " + e.getMessage());
    }
  }

  private static ApiProblem tooLarge() {
    return new ApiProblem(ProblemKind.PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES
        + " bytes (1 MiB); for many tasks use several POST /v1/tasks/bulk requests");
  }

  /** {@code $.tasks[3].priority}: where in the body the mapping failed. */
  static String pointer(JsonMappingException e) {
    StringBuilder pointer = new StringBuilder("$");
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        pointer.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        pointer.append('[').append(reference.getIndex()).append(']');
      }
    }
    return pointer.toString();
  }

  private static String expectedOf(JsonMappingException e) {
    Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
    if (target == null) {
      return "of the documented type";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
      return "a whole number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(target)) {
      return "an array";
    }
    return "an object";
  }

  private static String kind(JsonNode node) {
    return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
        : node.isBoolean() ? "a boolean" : "null";
  }
}
