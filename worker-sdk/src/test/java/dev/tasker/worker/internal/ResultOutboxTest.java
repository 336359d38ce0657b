package dev.tasker.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultOutboxTest {

  private static final int FIRST = 1;
  private static final int SECOND = 2;

  private final ResultOutbox outbox =
      new ResultOutbox("worker-1", Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
  private final UUID batchA = UUID.randomUUID();
  private final UUID batchB = UUID.randomUUID();

  private static StepOutcome aCompletedStep(UUID batchId) {
    return new StepOutcome(batchId, UUID.randomUUID(), 1, StepStatus.COMPLETED, null, null, null, 3,
        Instant.parse("2026-12-01T10:00:00Z"));
  }

  /** What {@code route} sends now, decoded. */
  private List<Message> flush(int route) {
    List<Message> sent = new ArrayList<>();
    outbox.flush(route, frames -> sent.add(Frames.decode(frames)), JsonCodec.instance());
    return sent;
  }

  @Test
  void each_batch_reports_on_the_route_it_came_on() {
    outbox.open(batchA, 1, FIRST);
    outbox.open(batchB, 1, SECOND);
    outbox.report(aCompletedStep(batchB));
    outbox.report(aCompletedStep(batchA));

    List<Message> first = flush(FIRST);
    List<Message> second = flush(SECOND);

    assertThat(first).extracting(ResultOutboxTest::batchOf).containsExactly(batchA, batchA);
    assertThat(second).extracting(ResultOutboxTest::batchOf).containsExactly(batchB, batchB);
  }

  @Test
  void a_lost_routes_unacknowledged_and_unsent_results_move_in_order_and_later_results_follow() {
    outbox.open(batchA, 3, FIRST);
    StepOutcome one = aCompletedStep(batchA);
    StepOutcome two = aCompletedStep(batchA);
    StepOutcome three = aCompletedStep(batchA);
    outbox.report(one);
    flush(FIRST);
    outbox.report(two);

    assertThat(outbox.move(FIRST, SECOND)).isTrue();
    outbox.report(three);
    List<Message> second = flush(SECOND);

    assertThat(second).hasSize(4);
    assertThat(second.subList(0, 3)).extracting(m -> ((PartialResult) m).stepId())
        .containsExactly(one.stepId(), two.stepId(), three.stepId());
    assertThat(second.subList(0, 3)).extracting(m -> ((PartialResult) m).sequence()).containsExactly(1L, 2L, 3L);
    assertThat(second.get(3)).isInstanceOf(BatchCompletion.class);
    assertThat(flush(FIRST)).isEmpty();
    assertThat(outbox.holds(FIRST)).isFalse();
    assertThat(outbox.holds(SECOND)).isTrue();
  }

  @Test
  void a_running_batch_moves_with_its_route_even_before_any_result() {
    outbox.open(batchA, 1, FIRST);
    assertThat(outbox.holds(FIRST)).isTrue();

    assertThat(outbox.move(FIRST, SECOND)).isTrue();
    outbox.report(aCompletedStep(batchA));

    assertThat(flush(FIRST)).isEmpty();
    assertThat(flush(SECOND)).hasSize(2);
  }

  @Test
  void moving_an_empty_route_reports_nothing_moved() {
    assertThat(outbox.move(FIRST, SECOND)).isFalse();
  }

  @Test
  void an_ack_on_any_route_clears_what_it_lists() {
    outbox.open(batchA, 1, FIRST);
    outbox.open(batchB, 1, SECOND);
    StepOutcome a = aCompletedStep(batchA);
    outbox.report(a);
    outbox.report(aCompletedStep(batchB));
    flush(FIRST);
    flush(SECOND);
    assertThat(outbox.unacknowledged()).isEqualTo(4);

    outbox.acknowledged(new Ack(List.of(new Ack.ResultRef(batchA, a.stepId())), List.of(batchB)));

    assertThat(outbox.unacknowledged()).isEqualTo(1);
    outbox.resendUnacknowledged(FIRST);
    assertThat(flush(FIRST)).singleElement().isInstanceOf(BatchCompletion.class);
    assertThat(outbox.heldBatches()).containsExactly(batchA);
  }

  @Test
  void held_batches_list_every_route() {
    outbox.open(batchA, 2, FIRST);
    outbox.open(batchB, 1, SECOND);
    outbox.report(aCompletedStep(batchB));

    assertThat(outbox.heldBatches()).containsExactlyInAnyOrder(batchA, batchB);
    assertThat(outbox.pending()).isEqualTo(2);
  }

  private static UUID batchOf(Message message) {
    return message instanceof PartialResult partial ? partial.batchId() : ((BatchCompletion) message).batchId();
  }
}
