package dev.tasker.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The results {@link FaultyWorker} owes the orchestrator: each batch's partial results, numbered as
 * they are queued, then its completion; queued while the worker is not registered, and kept after
 * sending until acknowledged, so they can be sent again after the worker registers again. Used by
 * the socket thread only.
 */
final class HeldResults {

  /** How one step attempt ended, as a handler thread reports it. */
  record Outcome(UUID batchId, UUID stepId, int attempt, StepStatus status, JsonNode output, StepError error,
      long executionTimeMs, Instant finishedAt) {}

  /** A result by batch and step; {@code stepId} is {@code null} for the batch's completion. */
  private record Key(UUID batchId, UUID stepId) {}

  private record Entry(Key key, Message message) {}

  private static final class BatchRun {
    private final int totalSteps;
    private final List<StepSummary> summaries = new ArrayList<>();
    private long lastSequence;
    private int completed;
    private int failed;

    private BatchRun(int totalSteps) {
      this.totalSteps = totalSteps;
    }
  }

  private final String workerId;
  private final Fault fault;
  private final Map<UUID, BatchRun> running = new LinkedHashMap<>();
  private final Deque<Entry> queued = new ArrayDeque<>();
  private final LinkedHashMap<Key, Message> unacknowledged = new LinkedHashMap<>();
  private long sessionSequence;

  HeldResults(String workerId, Fault fault) {
    this.workerId = workerId;
    this.fault = fault;
  }

  /** Starts a batch; {@code false} when it is already running (a duplicate delivery). */
  boolean open(UUID batchId, int steps) {
    return running.putIfAbsent(batchId, new BatchRun(steps)) == null;
  }

  /** Queues the step's partial result, and the batch's completion after its last step. */
  void report(Outcome outcome) {
    BatchRun run = running.get(outcome.batchId());
    if (run == null) {
      return;
    }
    PartialResult partial = new PartialResult(outcome.batchId(), outcome.stepId(), outcome.attempt(),
        outcome.status(), outcome.output(), outcome.error(), workerId, nextSequence(run), outcome.finishedAt(),
        outcome.executionTimeMs());
    run.summaries.add(new StepSummary(outcome.stepId(), outcome.attempt(), outcome.status(), outcome.output(),
        outcome.error(), outcome.executionTimeMs()));
    if (outcome.status() == StepStatus.COMPLETED) {
      run.completed++;
    } else {
      run.failed++;
    }
    Entry entry = new Entry(new Key(outcome.batchId(), outcome.stepId()), partial);
    if (run.summaries.size() < run.totalSteps) {
      queued.addLast(entry);
      return;
    }
    running.remove(outcome.batchId());
    Entry completion = new Entry(new Key(outcome.batchId(), null), completion(outcome.batchId(), run));
    if (fault == Fault.COMPLETION_BEFORE_PARTIALS) {
      queued.addLast(completion);
      queued.addLast(entry);
    } else {
      queued.addLast(entry);
      queued.addLast(completion);
    }
  }

  private long nextSequence(BatchRun run) {
    if (fault == Fault.GLOBAL_SEQUENCE) {
      return ++sessionSequence;
    }
    long sequence = ++run.lastSequence;
    return fault == Fault.WRONG_SEQUENCE && sequence > 1 ? sequence - 1 : sequence;
  }

  private BatchCompletion completion(UUID batchId, BatchRun run) {
    int completed = run.completed;
    int failed = run.failed;
    if (fault == Fault.COMPLETION_MISCOUNTS) {
      completed += failed;
      failed = 0;
    }
    return new BatchCompletion(batchId, run.totalSteps, completed, failed, 0, run.summaries,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** Forgets what the orchestrator has stored; a stored completion covers its batch's partials. */
  void acknowledged(Ack ack) {
    if (fault == Fault.IGNORE_ACK) {
      return;
    }
    if (fault != Fault.IGNORE_PARTIAL_ACKS) {
      ack.partialResults().forEach(ref -> unacknowledged.remove(new Key(ref.batchId(), ref.stepId())));
    }
    for (UUID batchId : ack.batchCompletions()) {
      unacknowledged.keySet().removeIf(key -> key.batchId().equals(batchId));
    }
  }

  /** Queues every unacknowledged result again, in its original order, ahead of newer ones. */
  void resendUnacknowledged() {
    List<Entry> again = new ArrayList<>();
    unacknowledged.forEach((key, message) -> again.add(new Entry(key, message)));
    unacknowledged.clear();
    if (fault == Fault.RESEND_COMPLETION_FIRST) {
      // Stable: within a batch the completion moves first, everything else keeps its order.
      Map<UUID, Integer> firstSeen = new HashMap<>();
      for (int i = 0; i < again.size(); i++) {
        firstSeen.putIfAbsent(again.get(i).key().batchId(), i);
      }
      again.sort(Comparator.comparing((Entry e) -> firstSeen.get(e.key().batchId()))
          .thenComparing(e -> e.key().stepId() != null));
    }
    for (int i = again.size() - 1; i >= 0; i--) {
      queued.addFirst(again.get(i));
    }
  }

  /** Forgets every batch and result, as a worker that drops what it holds. */
  void forgetAll() {
    running.clear();
    queued.clear();
    unacknowledged.clear();
  }

  /** Batches still running, with results not yet sent, or sent and not yet acknowledged. */
  List<UUID> heldBatches() {
    Set<UUID> ids = new LinkedHashSet<>(running.keySet());
    unacknowledged.keySet().forEach(key -> ids.add(key.batchId()));
    queued.forEach(entry -> ids.add(entry.key().batchId()));
    return new ArrayList<>(ids);
  }

  /** Sends queued results in order until {@code sender} refuses one. */
  void flush(Predicate<Message> sender) {
    while (!queued.isEmpty() && sender.test(queued.peekFirst().message())) {
      Entry entry = queued.removeFirst();
      unacknowledged.put(entry.key(), entry.message());
    }
  }

  /** Results queued and not yet sent. */
  int pending() {
    return queued.size();
  }

  /** Results sent and not yet acknowledged. */
  int unacknowledged() {
    return unacknowledged.size();
  }
}
