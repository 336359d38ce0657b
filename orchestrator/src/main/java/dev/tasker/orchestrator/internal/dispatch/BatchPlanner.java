package dev.tasker.orchestrator.internal.dispatch;

import dev.tasker.orchestrator.internal.transport.WorkerSession;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides which worker gets which ready steps. Each batch holds steps of one handler, goes to one
 * worker that serves the handler and has credit reserved for the round, and holds at most the
 * batch size; a worker never gets more steps than the credit reserved from it. Pure and
 * single-threaded.
 */
final class BatchPlanner {

  /** A batch to create: its worker, its handler and its steps in order. */
  record PlannedBatch(UUID batchId, WorkerSession worker, String handler, List<UUID> stepIds) {}

  private BatchPlanner() {}

  /**
   * How many steps to ask for per handler: the sum of the credit of the workers serving it, at
   * most {@code maxSteps} in all. Handlers are listed starting at {@code rotation} so that no
   * handler is always served last.
   *
   * @param credit the credit reserved from each worker
   */
  static Map<String, Integer> quotas(Map<WorkerSession, Integer> credit, int maxSteps, int rotation) {
    Map<String, Integer> byHandler = new HashMap<>();
    credit.forEach((worker, free) -> {
      if (free > 0) {
        for (String handler : worker.handlers()) {
          byHandler.merge(handler, free, Integer::sum);
        }
      }
    });
    List<String> handlers = new ArrayList<>(byHandler.keySet());
    handlers.sort(null);
    Map<String, Integer> quotas = new LinkedHashMap<>();
    int remaining = maxSteps;
    for (int i = 0; i < handlers.size() && remaining > 0; i++) {
      String handler = handlers.get(Math.floorMod(i + rotation, handlers.size()));
      int quota = Math.min(byHandler.get(handler), remaining);
      quotas.put(handler, quota);
      remaining -= quota;
    }
    return quotas;
  }

  /**
   * Assigns ready steps to workers. Steps that no worker can take now are left out (they stay
   * pending).
   *
   * @param readyByHandler ready step ids per handler, in dispatch order
   * @param credit the credit reserved from each worker
   * @param newBatchId supplies batch ids
   */
  static List<PlannedBatch> plan(
      Map<String, List<UUID>> readyByHandler,
      Map<WorkerSession, Integer> credit,
      int batchSize,
      java.util.function.Supplier<UUID> newBatchId) {
    Map<WorkerSession, Integer> free = new HashMap<>(credit);
    List<WorkerSession> workers = new ArrayList<>(credit.keySet());
    List<PlannedBatch> batches = new ArrayList<>();
    for (Map.Entry<String, List<UUID>> entry : readyByHandler.entrySet()) {
      String handler = entry.getKey();
      List<UUID> ready = entry.getValue();
      List<WorkerSession> serving = new ArrayList<>();
      for (WorkerSession worker : workers) {
        if (worker.handlers().contains(handler) && free.get(worker) > 0) {
          serving.add(worker);
        }
      }
      serving.sort(Comparator.comparing((WorkerSession w) -> free.get(w)).reversed());
      int next = 0;
      for (WorkerSession worker : serving) {
        int take = Math.min(free.get(worker), ready.size() - next);
        if (take <= 0) {
          break;
        }
        free.put(worker, free.get(worker) - take);
        for (int start = next; start < next + take; start += batchSize) {
          int end = Math.min(start + batchSize, next + take);
          batches.add(new PlannedBatch(newBatchId.get(), worker, handler, List.copyOf(ready.subList(start, end))));
        }
        next += take;
      }
    }
    return batches;
  }
}
