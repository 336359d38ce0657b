package dev.tasker.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Says why a JSON body could not be read in the protocol's terms: the message type, the wire field
 * and the rule broken ({@code BATCH_COMPLETION: required field completed_at is missing}), never
 * Jackson's wording (creator properties, Java types), which means nothing to a porter reading the
 * conformance kit's output or an orchestrator's ERROR.
 */
final class JsonDecodeProblem {

  // Jackson's own texts for the two mismatches that carry no type of their own to tell them apart.
  private static final String MISSING_PROPERTY = "Missing required creator property";
  private static final String TRAILING_TOKEN = "Trailing token";

  private JsonDecodeProblem() {}

  /**
   * @param body the body read as a tree, to say what was found where something else was expected;
   *     called only for such a mismatch, and may return {@code null}
   */
  static String describe(MessageType type, JacksonException e, Supplier<JsonNode> body) {
    String prefix = type.wireName() + ": ";
    String path = e instanceof JsonMappingException mapping ? pathOf(mapping) : "";
    Throwable root = rootCause(e);
    if (root instanceof IllegalArgumentException) {
      // A record's own check: its message already names the wire field and the rule.
      return type.wireName() + (path.isEmpty() ? "" : " at " + path) + ": " + root.getMessage();
    }
    String subject = path.isEmpty() ? "the body" : "field " + path;
    if (root instanceof InputCoercionException coercion) {
      return prefix + subject + " must be " + rangeOf(coercion.getTargetType());
    }
    if (e instanceof MismatchedInputException mismatch) {
      String original = firstLine(e);
      if (original.startsWith(MISSING_PROPERTY)) {
        return prefix + "required field " + path + " is missing";
      }
      if (original.startsWith(TRAILING_TOKEN)) {
        return prefix + "the body must be one JSON object, with nothing after it";
      }
      if (mismatch.getTargetType() == Instant.class || mismatch.getTargetType() == UUID.class) {
        // The codec's own readers of these types phrase the rule themselves ("must be ...").
        return prefix + subject + " " + original;
      }
      String expected = expectedFor(mismatch.getTargetType(), path.isEmpty());
      if (expected != null) {
        return prefix + subject + " must be " + expected + found(at(body.get(), mismatch));
      }
    }
    if (e instanceof StreamReadException && !(e instanceof JsonMappingException)) {
      return prefix + "not valid JSON: " + original(e);
    }
    return type.wireName() + (path.isEmpty() ? "" : " at " + path) + ": " + original(e);
  }

  /** What a JSON value at the parser's current token is, as {@code ", not a string"}; empty when unknown. */
  static String found(JsonToken token) {
    if (token == null) {
      return "";
    }
    return switch (token) {
      case VALUE_STRING -> ", not a string";
      case VALUE_NUMBER_INT -> ", not an integer";
      case VALUE_NUMBER_FLOAT -> ", not a number with a fraction";
      case VALUE_TRUE, VALUE_FALSE -> ", not a boolean";
      case VALUE_NULL -> ", not null";
      case START_ARRAY -> ", not an array";
      case START_OBJECT -> ", not an object";
      default -> "";
    };
  }

  private static String found(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "";
    }
    if (value.isTextual()) {
      return ", not a string";
    }
    if (value.isIntegralNumber()) {
      return ", not an integer";
    }
    if (value.isNumber()) {
      return ", not a number with a fraction";
    }
    if (value.isBoolean()) {
      return ", not a boolean";
    }
    if (value.isNull()) {
      return ", not null";
    }
    return value.isArray() ? ", not an array" : value.isObject() ? ", not an object" : "";
  }

  private static JsonNode at(JsonNode body, JsonMappingException e) {
    JsonNode node = body;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  private static String expectedFor(Class<?> target, boolean wholeBody) {
    if (target == null) {
      return null;
    }
    if (wholeBody) {
      return "a JSON object";
    }
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class
        || target == short.class || target == Short.class) {
      return "an integer";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "true or false";
    }
    if (target == String.class || target.isEnum()) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(target) || target.isRecord() || JsonNode.class.isAssignableFrom(target)) {
      return "an object";
    }
    return null;
  }

  private static String rangeOf(Class<?> target) {
    if (target == int.class || target == Integer.class) {
      return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }
    if (target == long.class || target == Long.class) {
      return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }
    return "a number in range";
  }

  private static String original(JacksonException e) {
    return firstLine(e).replace(" (but might if coercion using `CoercionConfig` was enabled)", "");
  }

  private static String firstLine(JacksonException e) {
    String original = e.getOriginalMessage();
    return original == null ? "invalid JSON" : original.lines().findFirst().orElse("invalid JSON");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
