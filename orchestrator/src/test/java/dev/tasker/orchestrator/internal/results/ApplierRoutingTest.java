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
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApplierRoutingTest {

  private final List<ResultApplier> appliers = new ArrayList<>();

  @Test
  void everythingFromOneWorkerGoesToOneApplierInArrivalOrder() {
    ApplierRouting routing = routingOver(3, 1_000);
    for (String worker : List.of("worker-a", "worker-b", "worker-c", "worker-d")) {
      int[] before = appliers.stream().mapToInt(ResultApplier::backlog).toArray();
      routing.accept(new InboundEvent.WorkerDraining(worker, Instant.now()));
      routing.accept(aResultFrom(worker));
      routing.accept(aResultFrom(worker));
      routing.accept(new InboundEvent.BatchUndeliverable(UUID.randomUUID(), worker, "gone"));
      routing.accept(new InboundEvent.WorkerGone(worker, true, Instant.now()));
      List<Integer> added = new ArrayList<>();
      for (int i = 0; i < appliers.size(); i++) {
        added.add(appliers.get(i).backlog() - before[i]);
      }
      assertThat(added).as("events of %s added to each applier", worker).containsOnly(0, 5).containsOnlyOnce(5);
    }
    assertThat(routing.backlog()).isEqualTo(4 * 5);
    assertThat(appliers.stream().mapToInt(ResultApplier::backlog).sum()).isEqualTo(20);
  }

  @Test
  void resultsFromAnUnregisteredSenderAndEventsOfNoSingleWorkerGoToTheFirstApplier() {
    ApplierRouting routing = routingOver(2, 1_000);
    routing.accept(aResultFrom(null));
    routing.accept(new InboundEvent.WorkersSeen(Map.of("worker-a", 4, "worker-b", 8), Instant.now()));

    assertThat(appliers.get(0).backlog()).isEqualTo(2);
    assertThat(appliers.get(1).backlog()).isZero();
  }

  @Test
  void theTransportPausesWhenAnyApplierIsFull() {
    ApplierRouting routing = routingOver(2, 1);
    assertThat(routing.acceptsMoreResults()).isTrue();

    routing.accept(aResultFrom(null));

    assertThat(routing.acceptsMoreResults()).isFalse();
  }

  private ApplierRouting routingOver(int count, int maxQueuedEach) {
    for (int i = 0; i < count; i++) {
      appliers.add(new ResultApplier(null, new Backoff(new Random(1)), due -> {}, 100,
          maxQueuedEach, new Liveness("routing-test", 3_000), (worker, ack) -> {},
          new ResultApplier.ChildDispatch(new WorkerRegistry(), new DispatchSettings(10, 100, 1_000, 1_000, "routing-test"),
              round -> 0, inMillis -> {}, () -> {}, () -> {}), new TaskerMetrics()));
    }
    return new ApplierRouting(appliers);
  }

  private static InboundEvent.ResultReceived aResultFrom(String workerId) {
    BatchCompletion completion = new BatchCompletion(UUID.randomUUID(), 0, 0, 0, 0, List.of(), Instant.now());
    return new InboundEvent.ResultReceived(workerId, completion, "{}", Instant.now());
  }
}
