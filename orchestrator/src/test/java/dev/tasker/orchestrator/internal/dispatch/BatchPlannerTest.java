package dev.tasker.orchestrator.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.dispatch.BatchPlanner.PlannedBatch;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

  private final WorkerRegistry registry = new WorkerRegistry();

  private WorkerSession aWorker(String id, int credit, String... handlers) {
    return registry.register(id.getBytes(), new Hello(id, "java", "0", List.of("1"), List.of(handlers), credit, null), dev.tasker.protocol.JsonCodec.instance(), 0);
  }

  /** The free credit of every registered worker, as a dispatch round reserves it. */
  private Map<WorkerSession, Integer> freeCredit() {
    Map<WorkerSession, Integer> credit = new LinkedHashMap<>();
    registry.sessions().forEach(w -> credit.put(w, w.freeCredit()));
    return credit;
  }

  private static List<UUID> steps(int n) {
    return IntStream.range(0, n).mapToObj(i -> Ids.newId()).toList();
  }

  @Test
  void quotas_add_up_the_free_credit_of_the_workers_serving_each_handler() {
    aWorker("w1", 10, "a", "b");
    aWorker("w2", 5, "a");

    Map<String, Integer> quotas = BatchPlanner.quotas(freeCredit(), 1000, 0);

    assertThat(quotas).containsEntry("a", 15).containsEntry("b", 10);
  }

  @Test
  void quotas_stop_at_the_round_maximum() {
    aWorker("w1", 500, "a", "b");

    Map<String, Integer> quotas = BatchPlanner.quotas(freeCredit(), 600, 0);

    assertThat(quotas.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(600);
  }

  @Test
  void a_worker_never_gets_more_steps_than_its_free_credit() {
    WorkerSession w1 = aWorker("w1", 3, "a");
    w1.reserve(1);
    w1.hold(Ids.newId(), steps(1));
    aWorker("w2", 4, "a");

    List<PlannedBatch> batches = BatchPlanner.plan(Map.of("a", steps(20)), freeCredit(), 50, Ids::newId);

    Map<String, Integer> perWorker = new LinkedHashMap<>();
    batches.forEach(b -> perWorker.merge(b.worker().workerId(), b.stepIds().size(), Integer::sum));
    assertThat(perWorker).containsEntry("w1", 2).containsEntry("w2", 4);
  }

  @Test
  void batches_hold_one_handler_and_at_most_the_batch_size() {
    aWorker("w1", 100, "a", "b");
    Map<String, List<UUID>> ready = new LinkedHashMap<>();
    ready.put("a", steps(25));
    ready.put("b", steps(3));

    List<PlannedBatch> batches = BatchPlanner.plan(ready, freeCredit(), 10, Ids::newId);

    assertThat(batches).extracting(b -> b.stepIds().size()).containsExactly(10, 10, 5, 3);
    assertThat(batches).extracting(PlannedBatch::handler).containsExactly("a", "a", "a", "b");
  }

  @Test
  void credit_used_for_one_handler_is_not_used_again_for_another() {
    aWorker("w1", 4, "a", "b");
    Map<String, List<UUID>> ready = new LinkedHashMap<>();
    ready.put("a", steps(3));
    ready.put("b", steps(3));

    List<PlannedBatch> batches = BatchPlanner.plan(ready, freeCredit(), 50, Ids::newId);

    assertThat(batches.stream().mapToInt(b -> b.stepIds().size()).sum()).isEqualTo(4);
  }

  @Test
  void steps_go_only_to_workers_serving_their_handler() {
    aWorker("w1", 10, "other");
    aWorker("w2", 10, "a");
    List<PlannedBatch> batches = BatchPlanner.plan(Map.of("a", steps(5)), freeCredit(), 50, Ids::newId);

    assertThat(batches).extracting(b -> b.worker().workerId()).containsOnly("w2");
  }

  @Test
  void no_worker_with_credit_means_no_batch() {
    WorkerSession w1 = aWorker("w1", 1, "a");
    w1.reserve(1);
    w1.hold(Ids.newId(), steps(1));

    assertThat(BatchPlanner.plan(Map.of("a", steps(5)), freeCredit(), 50, Ids::newId)).isEmpty();
    assertThat(BatchPlanner.quotas(freeCredit(), 1000, 0)).isEmpty();
  }
}
