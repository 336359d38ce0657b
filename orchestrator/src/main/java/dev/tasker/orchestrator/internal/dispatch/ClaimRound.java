package dev.tasker.orchestrator.internal.dispatch;

import dev.tasker.orchestrator.internal.dispatch.StepClaimer.ClaimedBatch;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.transport.RouterGateway;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Ids;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One round of handing steps to workers, in three moves: reserve credit from the workers (so the
 * dispatcher and the applier, which both claim, never promise a slot twice), claim and record the
 * steps in the caller's transaction, and after its commit hold and send the batches and give back
 * the credit no step took. A round that is not sent must be {@linkplain #abandon abandoned}. Used
 * by one thread.
 */
public final class ClaimRound {

  private final Map<WorkerSession, Integer> reserved;
  private List<ClaimedBatch> claimed = List.of();
  private long earliestDeadlineMs = Long.MAX_VALUE;

  private ClaimRound(Map<WorkerSession, Integer> reserved) {
    this.reserved = reserved;
  }

  /**
   * Reserves the free credit of each worker, at most {@code maxSteps} in all, starting with the
   * worker at {@code rotation} so that no worker is always served last.
   */
  static ClaimRound reserveFree(List<WorkerSession> workers, int maxSteps, int rotation) {
    Map<WorkerSession, Integer> reserved = new LinkedHashMap<>();
    int remaining = maxSteps;
    for (int i = 0; i < workers.size() && remaining > 0; i++) {
      WorkerSession worker = workers.get(Math.floorMod(i + rotation, workers.size()));
      int got = worker.reserve(remaining);
      if (got > 0) {
        reserved.put(worker, got);
        remaining -= got;
      }
    }
    return new ClaimRound(reserved);
  }

  /** Reserves, for each handler, credit for up to the wanted number of steps from workers serving it. */
  public static ClaimRound reserveFor(List<WorkerSession> workers, Map<String, Integer> wantedByHandler) {
    Map<WorkerSession, Integer> reserved = new LinkedHashMap<>();
    wantedByHandler.forEach((handler, wanted) -> {
      int remaining = wanted;
      for (WorkerSession worker : workers) {
        if (remaining <= 0) {
          break;
        }
        if (worker.handlers().contains(handler)) {
          int got = worker.reserve(remaining);
          if (got > 0) {
            reserved.merge(worker, got, Integer::sum);
            remaining -= got;
          }
        }
      }
    });
    return new ClaimRound(reserved);
  }

  /** Steps of credit reserved: the most this round can claim. */
  public int reservedSteps() {
    return reserved.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Whether no credit was reserved (nothing can be claimed). */
  public boolean isEmpty() {
    return reserved.isEmpty();
  }

  /** How many steps to look for per handler, given the credit reserved. */
  Map<String, Integer> quotas(int maxSteps, int rotation) {
    return BatchPlanner.quotas(reserved, maxSteps, rotation);
  }

  /**
   * Plans batches of {@code readyByHandler} within the reserved credit and claims them, in the
   * caller's transaction.
   *
   * @return how many steps were claimed
   */
  public int claim(Connection connection, Map<String, List<UUID>> readyByHandler, DispatchSettings settings)
      throws SQLException {
    List<BatchPlanner.PlannedBatch> plans =
        BatchPlanner.plan(readyByHandler, reserved, settings.batchSize(), Ids::newId);
    claimed = StepClaimer.claim(connection, plans, settings.batchTimeoutMs(), settings.orchestratorId());
    earliestDeadlineMs = claimed.stream().flatMap(b -> b.request().steps().stream())
        .mapToLong(s -> s.metadata().timeoutMs()).min().orElse(Long.MAX_VALUE);
    return claimed.stream().mapToInt(b -> b.plan().stepIds().size()).sum();
  }

  /** Steps claimed (0 before {@link #claim}). */
  public int claimedSteps() {
    return claimed.stream().mapToInt(b -> b.plan().stepIds().size()).sum();
  }

  /** Milliseconds from the claim until the first claimed attempt's deadline. */
  public long earliestDeadlineMs() {
    return earliestDeadlineMs;
  }

  /**
   * After the claiming transaction committed: records the steps each worker holds, queues the
   * batches to the transport and gives back the credit no step took.
   *
   * @param metrics counts each batch, by handler
   * @return how many steps were sent
   */
  public int send(RouterGateway gateway, TaskerMetrics metrics) {
    Map<WorkerSession, Integer> unused = new HashMap<>(reserved);
    int steps = 0;
    for (ClaimedBatch batch : claimed) {
      WorkerSession worker = batch.plan().worker();
      List<UUID> stepIds = batch.plan().stepIds();
      worker.hold(batch.plan().batchId(), stepIds);
      unused.merge(worker, -stepIds.size(), Integer::sum);
      gateway.send(worker.identity(), Frames.encode(batch.request(), worker.codec()), batch.plan().batchId(),
          worker.workerId());
      metrics.batchSent(batch.plan().handler(), stepIds.size());
      steps += stepIds.size();
    }
    unused.forEach(WorkerSession::unreserve);
    claimed = List.of();
    reserved.clear();
    return steps;
  }

  /** Gives back all the credit reserved: the claim was rolled back or never made. */
  public void abandon() {
    reserved.forEach(WorkerSession::unreserve);
    reserved.clear();
    claimed = List.of();
  }
}
