package dev.tasker.worker.internal;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results a worker owes the orchestrator, in order: one partial result per step as it ends,
 * numbered per batch, then the batch's completion. Results wait here while the worker is not
 * registered (for example while the orchestrator restarts) and go out, in order, once it is. A sent
 * result is kept until the orchestrator acknowledges that it is stored; after the worker registers
 * again, every unacknowledged result is sent again, before newer ones. Used by the socket thread
 * only.
 */
final class ResultOutbox {

  /** Sends one encoded message; {@code false} when the socket cannot take it now. */
  @FunctionalInterface
  interface Sender {
    boolean send(List<byte[]> frames);
  }

  private final String workerId;
  private final Clock clock;
  /** Most results kept for acknowledgement; beyond it the oldest are forgotten, with a warning. */
  static final int MAX_UNACKNOWLEDGED = 200_000;

  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  /** A result by batch, and step (null for the completion). */
  private record Key(UUID batchId, UUID stepId) {}

  // Results are kept as messages and encoded when sent: a session after re-registration may use
  // another encoding than the one they were first sent in.
  private record Entry(Key key, Message message) {}

  private final Map<UUID, BatchRun> batches = new HashMap<>();
  private final Deque<Entry> held = new ArrayDeque<>();
  private final LinkedHashMap<Key, Message> unacknowledged = new LinkedHashMap<>();

  ResultOutbox(String workerId, Clock clock) {
    this.workerId = workerId;
    this.clock = clock;
  }

  /**
   * Starts tracking a batch.
   *
   * @return {@code false} when the batch is already running (a duplicate delivery)
   */
  boolean open(UUID batchId, int steps) {
    return batches.putIfAbsent(batchId, new BatchRun(batchId, steps)) == null;
  }

  /** Queues the partial result of {@code outcome}, and the batch's completion after its last step. */
  void report(StepOutcome outcome) {
    BatchRun run = batches.get(outcome.batchId());
    held.addLast(new Entry(new Key(outcome.batchId(), outcome.stepId()), run.report(outcome, workerId)));
    if (run.allReported()) {
      batches.remove(outcome.batchId());
      BatchCompletion completion = run.completion(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      held.addLast(new Entry(new Key(outcome.batchId(), null), completion));
    }
  }

  /** Forgets results the orchestrator has stored. */
  void acknowledged(Ack ack) {
    for (Ack.ResultRef ref : ack.partialResults()) {
      unacknowledged.remove(new Key(ref.batchId(), ref.stepId()));
    }
    for (UUID batchId : ack.batchCompletions()) {
      // A stored completion carries every step's summary, so the batch's partials are covered too.
      unacknowledged.keySet().removeIf(key -> key.batchId().equals(batchId));
    }
  }

  /** Queues every unacknowledged result to be sent again, ahead of results not sent yet. */
  void resendUnacknowledged() {
    List<Entry> again = new ArrayList<>();
    unacknowledged.forEach((key, message) -> again.add(new Entry(key, message)));
    unacknowledged.clear();
    for (int i = again.size() - 1; i >= 0; i--) {
      held.addFirst(again.get(i));
    }
  }

  /** Batches still running, or with results sent but not acknowledged, or not sent yet. */
  List<UUID> heldBatches() {
    Set<UUID> ids = new LinkedHashSet<>(batches.keySet());
    unacknowledged.keySet().forEach(key -> ids.add(key.batchId()));
    held.forEach(entry -> ids.add(entry.key().batchId()));
    return new ArrayList<>(ids);
  }

  /** Results sent and not yet acknowledged. */
  int unacknowledged() {
    return unacknowledged.size();
  }

  /**
   * Sends what is queued, in order, until the sender refuses one.
   *
   * @param codec the session's body codec
   * @return whether anything was sent
   */
  boolean flush(Sender sender, MessageCodec codec) {
    boolean sent = false;
    while (!held.isEmpty() && sender.send(Frames.encode(held.peekFirst().message(), codec))) {
      Entry entry = held.removeFirst();
      unacknowledged.put(entry.key(), entry.message());
      if (unacknowledged.size() > MAX_UNACKNOWLEDGED) {
        Key oldest = unacknowledged.keySet().iterator().next();
        unacknowledged.remove(oldest);
        log.warn("{} results are unacknowledged; forgetting the oldest (batch {})", MAX_UNACKNOWLEDGED,
            oldest.batchId());
      }
      sent = true;
    }
    return sent;
  }

  /** Messages queued and not yet sent. */
  int pending() {
    return held.size();
  }
}
