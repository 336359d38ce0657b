package dev.tasker.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/** JSON helpers for the scenarios: parsing literals and comparing values by meaning. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object(String json) {
    return (ObjectNode) parse(json);
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first place where {@code actual} differs from {@code expected}, or {@code null} when they
   * are equal. Integers compare by value, as do fractions; an integer never equals a fraction.
   */
  static String difference(JsonNode expected, JsonNode actual, String path) {
    if (expected == null || actual == null) {
      return expected == actual ? null : path + ": expected " + expected + " but was " + actual;
    }
    if (expected.isNumber() && actual.isNumber()) {
      boolean equal;
      if (expected.isIntegralNumber() != actual.isIntegralNumber()) {
        equal = false;
      } else if (expected.isIntegralNumber()) {
        equal = expected.bigIntegerValue().equals(actual.bigIntegerValue());
      } else {
        equal = expected.decimalValue().compareTo(actual.decimalValue()) == 0;
      }
      return equal ? null : path + ": expected " + expected + " but was " + actual;
    }
    if (expected.getNodeType() != actual.getNodeType()) {
      return path + ": expected " + expected + " but was " + actual;
    }
    if (expected.isObject()) {
      if (expected.size() != actual.size()) {
        return path + ": expected keys " + names(expected) + " but was " + names(actual);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String found = difference(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey());
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (expected.isArray()) {
      if (expected.size() != actual.size()) {
        return path + ": expected " + expected.size() + " elements but was " + actual.size();
      }
      for (int i = 0; i < expected.size(); i++) {
        String found = difference(expected.get(i), actual.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
  }

  private static String names(JsonNode object) {
    StringBuilder names = new StringBuilder("[");
    object.fieldNames().forEachRemaining(name -> names.append(names.length() > 1 ? ", " : "").append(name));
    return names.append(']').toString();
  }
}
