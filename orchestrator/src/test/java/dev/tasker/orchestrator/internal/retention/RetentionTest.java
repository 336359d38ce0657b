package dev.tasker.orchestrator.internal.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.Ids;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetentionTest {

  @Test
  void theCeilingOfAnInstantIsAboveEveryIdMadeBeforeItAndBelowEveryIdMadeAfter() throws InterruptedException {
    UUID before = Ids.newId();
    Thread.sleep(3);
    Instant cutoff = Instant.now();
    Thread.sleep(3);
    UUID after = Ids.newId();

    UUID ceiling = Retention.ceilingOf(cutoff);

    // PostgreSQL compares uuids byte by byte, as unsigned: so do their strings, digit by digit.
    assertThat(before.toString()).isLessThan(ceiling.toString());
    assertThat(after.toString()).isGreaterThan(ceiling.toString());
    assertThat(ceiling.toString()).startsWith(String.format("%08x", cutoff.toEpochMilli() >>> 16));
  }
}
