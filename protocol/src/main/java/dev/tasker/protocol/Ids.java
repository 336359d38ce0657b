package dev.tasker.protocol;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Identifiers for tasks, steps, batches and workers: UUIDv7 (RFC 9562), time-ordered so that ids
 * created later sort later, and never reused, so a stale message can never hit a new row after a
 * reset. Thread-safe.
 */
public final class Ids {

  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private Ids() {}

  /**
   * Reads an id in the canonical UUID text form ({@code 8-4-4-4-12} hexadecimal digits), the only
   * form on the wire.
   *
   * @throws IllegalArgumentException naming {@code field} for any other text
   */
  public static UUID parse(String text, String field) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!isCanonical(text)) {
      String shown = text.length() <= 40 ? text : text.substring(0, 40) + "...";
      throw new IllegalArgumentException(field + " must be a UUID string such as "
          + "0192f3a4-7000-7abc-8def-0123456789ab but was '" + shown + "'");
    }
    return UUID.fromString(text);
  }

  /** Whether {@code text} is 8-4-4-4-12 hexadecimal digits (checked by hand: ids are on the hot path). */
  private static boolean isCanonical(String text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash ? c != '-' : !hex) {
        return false;
      }
    }
    return true;
  }

  /** A new UUIDv7. */
  public static UUID newId() {
    return GENERATOR.generate();
  }
}
