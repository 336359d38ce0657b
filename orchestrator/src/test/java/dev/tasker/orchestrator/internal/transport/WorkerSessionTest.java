package dev.tasker.orchestrator.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkerSessionTest {

  private final WorkerSession session =
      new WorkerSession("w-1", "w-1".getBytes(StandardCharsets.UTF_8), Set.of("h"), 4, "java", 0);

  @Test
  void a_worker_a_batch_could_not_reach_gets_no_credit_until_it_is_heard_from_again() {
    UUID batch = UUID.randomUUID();
    assertThat(session.reserve(2)).isEqualTo(2);
    session.hold(batch, List.of(UUID.randomUUID(), UUID.randomUUID()));

    session.markUnreachable();
    session.releaseBatch(batch);

    assertThat(session.freeCredit()).isZero();
    assertThat(session.reserve(4)).isZero();
    session.silenceForgiven(1);
    assertThat(session.reserve(4)).as("after reads resumed, still unreachable").isZero();
    session.seen(2);
    assertThat(session.freeCredit()).isEqualTo(4);
    assertThat(session.reserve(4)).isEqualTo(4);
  }

  @Test
  void registering_again_frees_the_credit_of_batches_the_worker_no_longer_holds() {
    UUID kept = UUID.randomUUID();
    UUID forgotten = UUID.randomUUID();
    assertThat(session.reserve(3)).isEqualTo(3);
    session.hold(kept, List.of(UUID.randomUUID()));
    session.hold(forgotten, List.of(UUID.randomUUID(), UUID.randomUUID()));
    assertThat(session.freeCredit()).isEqualTo(1);

    assertThat(session.retainOnly(List.of(kept))).isEqualTo(2);

    assertThat(session.heldBatches()).containsExactly(kept);
    assertThat(session.freeCredit()).isEqualTo(3);
  }
}
