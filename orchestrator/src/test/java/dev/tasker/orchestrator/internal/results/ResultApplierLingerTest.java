package dev.tasker.orchestrator.internal.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.dispatch.DispatchSettings;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.transport.InboundEvent;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.protocol.BatchCompletion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How an applier under load gathers a transaction (no database: the queue alone). */
class ResultApplierLingerTest {

  private static final int MAX_PER_TRANSACTION = 100;

  @Test
  void aSmallTransactionTakesWhatIsQueuedMeanwhile() throws InterruptedException {
    ResultApplier applier = anApplier();
    List<InboundEvent> transaction = new ArrayList<>(List.of(aResult()));
    for (int i = 0; i < 10; i++) {
      applier.accept(aResult());
    }

    applier.linger(transaction);

    assertThat(transaction).hasSize(11);
    assertThat(applier.backlog()).isZero();
  }

  @Test
  void itNeverTakesMoreThanOneTransactionHolds() throws InterruptedException {
    ResultApplier applier = anApplier();
    List<InboundEvent> transaction = new ArrayList<>(List.of(aResult()));
    for (int i = 0; i < 150; i++) {
      applier.accept(aResult());
    }

    applier.linger(transaction);

    assertThat(transaction).hasSize(MAX_PER_TRANSACTION);
    assertThat(applier.backlog()).isEqualTo(151 - MAX_PER_TRANSACTION);
  }

  @Test
  void aFullTransactionDoesNotWait() throws InterruptedException {
    ResultApplier applier = anApplier();
    List<InboundEvent> transaction = new ArrayList<>();
    for (int i = 0; i < ResultApplier.LINGER_TARGET; i++) {
      transaction.add(aResult());
    }
    applier.accept(aResult());

    applier.linger(transaction);

    assertThat(transaction).hasSize(ResultApplier.LINGER_TARGET);
    assertThat(applier.backlog()).isEqualTo(1);
  }

  private static ResultApplier anApplier() {
    return new ResultApplier(null, new Backoff(new Random(1)), due -> {}, MAX_PER_TRANSACTION, 1_000,
        new Liveness("linger-test", 3_000), (worker, ack) -> {},
        new ResultApplier.ChildDispatch(new WorkerRegistry(), new DispatchSettings(10, 100, 1_000, 1_000, "linger-test"),
            round -> 0, inMillis -> {}, () -> {}, () -> {}), new TaskerMetrics());
  }

  private static InboundEvent.ResultReceived aResult() {
    BatchCompletion completion = new BatchCompletion(UUID.randomUUID(), 0, 0, 0, 0, List.of(), Instant.now());
    return new InboundEvent.ResultReceived("worker-a", completion, "{}", Instant.now());
  }
}
