package dev.tasker.worker.internal;

import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.MessageCodec;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The results a worker owes the orchestrator, in order: one partial result per step as it ends,
 * numbered per batch, then the batch's completion. Results wait here while the worker is not
 * registered (for example while the orchestrator restarts) and go out, in order, once it is.
 * Used by the socket thread only.
 */
final class ResultOutbox {

  /** Sends one encoded message; {@code false} when the socket cannot take it now. */
  @FunctionalInterface
  interface Sender {
    boolean send(List<byte[]> frames);
  }

  private final String workerId;
  private final MessageCodec codec;
  private final Clock clock;
  private final Map<UUID, BatchRun> batches = new HashMap<>();
  private final Deque<List<byte[]>> held = new ArrayDeque<>();

  ResultOutbox(String workerId, MessageCodec codec, Clock clock) {
    this.workerId = workerId;
    this.codec = codec;
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
    held.addLast(Frames.encode(run.report(outcome, workerId), codec));
    if (run.allReported()) {
      batches.remove(outcome.batchId());
      BatchCompletion completion = run.completion(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      held.addLast(Frames.encode(completion, codec));
    }
  }

  /**
   * Sends what is queued, in order, until the sender refuses one.
   *
   * @return whether anything was sent
   */
  boolean flush(Sender sender) {
    boolean sent = false;
    while (!held.isEmpty() && sender.send(held.peekFirst())) {
      held.removeFirst();
      sent = true;
    }
    return sent;
  }

  /** Messages queued and not yet sent. */
  int pending() {
    return held.size();
  }
}
