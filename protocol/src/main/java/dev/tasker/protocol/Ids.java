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

  /** A new UUIDv7. */
  public static UUID newId() {
    return GENERATOR.generate();
  }
}
