package dev.tasker.protocol;

import java.util.List;
import java.util.Map;

/** Field checks shared by the message records; each failure names the wire field. */
final class Checks {

  private Checks() {}

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static String requiredText(String value, String field) {
    required(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  static int atLeast(int value, int minimum, String field) {
    if (value < minimum) {
      throw new IllegalArgumentException(field + " must be >= " + minimum + " but was " + value);
    }
    return value;
  }

  static long atLeast(long value, long minimum, String field) {
    if (value < minimum) {
      throw new IllegalArgumentException(field + " must be >= " + minimum + " but was " + value);
    }
    return value;
  }

  static <T> List<T> copyOf(List<T> values, String field) {
    required(values, field);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new IllegalArgumentException(field + "[" + i + "] must not be null");
      }
    }
    return List.copyOf(values);
  }

  static <V> Map<String, V> copyOf(Map<String, V> values, String field) {
    required(values, field);
    for (Map.Entry<String, V> entry : values.entrySet()) {
      if (entry.getKey() == null || entry.getValue() == null) {
        throw new IllegalArgumentException(field + " must not contain null keys or values");
      }
    }
    return Map.copyOf(values);
  }
}
