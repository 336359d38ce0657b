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

  private static final java.util.regex.Pattern CANONICAL =
      java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
    if (!CANONICAL.matcher(text).matches()) {
      String shown = text.length() <= 40 ? text : text.substring(0, 40) + "...";
      throw new IllegalArgumentException(field + " must be a UUID string such as "
          + "0192f3a4-7000-7abc-8def-0123456789ab but was '" + shown + "'");
    }
    return UUID.fromString(text);
  }

  /** A new UUIDv7. */
  public static UUID newId() {
    return GENERATOR.generate();
  }
}
