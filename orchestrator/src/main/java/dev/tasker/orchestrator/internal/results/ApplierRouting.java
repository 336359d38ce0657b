package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.internal.transport.InboundEvent;
import dev.tasker.orchestrator.internal.transport.InboundSink;
import java.util.List;

/**
 * Spreads what the transport receives over several appliers by the worker it came from: all of a
 * worker's results and events go to one applier, in arrival order (a batch goes to one worker,
 * so its partials precede its completion there too). Results from a sender not registered, and
 * events naming no single worker, go to the first applier. Thread-safe.
 */
public final class ApplierRouting implements InboundSink {

  private final List<ResultApplier> appliers;

  public ApplierRouting(List<ResultApplier> appliers) {
    this.appliers = List.copyOf(appliers);
  }

  @Override
  public void accept(InboundEvent event) {
    appliers.get(indexOf(workerOf(event))).accept(event);
  }

  @Override
  public boolean acceptsMoreResults() {
    for (ResultApplier applier : appliers) {
      if (!applier.acceptsMoreResults()) {
        return false;
      }
    }
    return true;
  }

  /** Events waiting in all appliers. */
  public int backlog() {
    return appliers.stream().mapToInt(ResultApplier::backlog).sum();
  }

  private int indexOf(String workerId) {
    return workerId == null ? 0 : Math.floorMod(workerId.hashCode(), appliers.size());
  }

  private static String workerOf(InboundEvent event) {
    if (event instanceof InboundEvent.ResultReceived result) {
      return result.senderWorkerId();
    }
    if (event instanceof InboundEvent.WorkerRegistered registered) {
      return registered.hello().workerId();
    }
    if (event instanceof InboundEvent.WorkerRecovered recovered) {
      return recovered.workerId();
    }
    if (event instanceof InboundEvent.WorkerDraining draining) {
      return draining.workerId();
    }
    if (event instanceof InboundEvent.WorkerGone gone) {
      return gone.workerId();
    }
    if (event instanceof InboundEvent.BatchUndeliverable undeliverable) {
      return undeliverable.workerId();
    }
    return null;
  }
}
