package dev.tasker.orchestrator.internal.transport;

import dev.tasker.orchestrator.internal.LogIds;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * What is to be sent to workers and has not been sent yet. Any thread queues a message and wakes
 * the socket thread; only the socket thread {@link #flush flushes}, so the ROUTER socket stays with
 * that one thread. A message the socket cannot take now (the worker's queue is full) waits, in
 * order, and is given up when it has waited too long or the worker is not connected; a batch given
 * up is reported undeliverable, so that its steps run again.
 */
final class OutboundBacklog {

  /**
   * A message another thread wants sent, to a routing identity, or (identity null) to whatever
   * connection the worker has when it is sent.
   */
  private record Outbound(byte[] identity, List<byte[]> frames, UUID batchId, String workerId, long firstTriedNanos) {
    Outbound tried(long nowNanos) {
      return firstTriedNanos != 0 ? this : new Outbound(identity, frames, batchId, workerId, nowNanos);
    }
  }

  private static final long UNDELIVERABLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final WorkerRegistry registry;
  private final InboundSink sink;
  private final WakeupSignal wakeup;
  private final Logger log;
  private final ConcurrentLinkedQueue<Outbound> outbound = new ConcurrentLinkedQueue<>();
  /** Messages the socket refused for now, oldest first. Socket thread only. */
  private final Deque<Outbound> backlog = new ArrayDeque<>();

  /**
   * @param wakeup wakes the socket thread when a message is queued
   * @param log the socket thread's log (the gateway's)
   */
  OutboundBacklog(WorkerRegistry registry, InboundSink sink, WakeupSignal wakeup, Logger log) {
    this.registry = registry;
    this.sink = sink;
    this.wakeup = wakeup;
    this.log = log;
  }

  /** Queues a message to a routing identity, in its session's encoding. Any thread. */
  void send(byte[] identity, Message message) {
    MessageCodec codec = registry.byIdentity(identity).map(WorkerSession::codec).orElse(JsonCodec.instance());
    send(identity, Frames.encode(message, codec), null, null);
  }

  /**
   * Queues frames to a routing identity. Any thread.
   *
   * @param batchId when the frames are a batch: reported undeliverable if the worker is gone
   */
  void send(byte[] identity, List<byte[]> frames, UUID batchId, String workerId) {
    outbound.add(new Outbound(identity, frames, batchId, workerId, 0));
    wakeup.wake();
  }

  /** Queues a message to a worker by id; dropped if the worker is not registered then. Any thread. */
  void sendToWorker(String workerId, Message message) {
    MessageCodec codec = registry.byWorkerId(workerId).map(WorkerSession::codec).orElse(JsonCodec.instance());
    outbound.add(new Outbound(null, Frames.encode(message, codec), null, workerId, 0));
    wakeup.wake();
  }

  /** Whether messages wait for the socket to take them, so that sending must be tried again soon. Socket thread. */
  boolean hasBacklog() {
    return !backlog.isEmpty();
  }

  /** Sends what waits, oldest first, then what was queued, until the socket refuses one. Socket thread. */
  void flush(ZMQ.Socket router) {
    long now = System.nanoTime();
    while (!backlog.isEmpty()) {
      if (!trySend(router, backlog.peekFirst(), now)) {
        break;
      }
      backlog.removeFirst();
    }
    Outbound next;
    while ((next = outbound.poll()) != null) {
      if (!backlog.isEmpty() || !trySend(router, next, now)) {
        backlog.addLast(next.tried(now));
      }
    }
  }

  /** @return false when the message should be retried later */
  private boolean trySend(ZMQ.Socket router, Outbound message, long now) {
    byte[] identity = message.identity();
    if (identity == null) {
      WorkerSession session = registry.byWorkerId(message.workerId()).orElse(null);
      if (session == null) {
        return true;
      }
      identity = session.identity();
    }
    try {
      if (MultipartSocket.send(router, identity, message.frames())) {
        return true;
      }
      if (message.firstTriedNanos() != 0 && now - message.firstTriedNanos() > UNDELIVERABLE_AFTER_NANOS) {
        undeliverable(message, "the worker's queue stayed full");
        return true;
      }
      return false;
    } catch (ZMQException e) {
      undeliverable(message, "the worker is not connected (" + e.getMessage() + ")");
      return true;
    }
  }

  private void undeliverable(Outbound message, String reason) {
    if (message.batchId() == null) {
      log.debug("dropped a message to {}: {}",
          message.identity() == null ? "worker " + message.workerId() : registry.describe(message.identity()), reason);
      return;
    }
    try (LogIds ids = LogIds.batch(message.batchId(), message.workerId())) {
      log.warn("batch {} could not be sent to worker {}: {}", message.batchId(), message.workerId(), reason);
    }
    registry.byWorkerId(message.workerId()).ifPresent(s -> {
      s.markUnreachable();
      s.releaseBatch(message.batchId());
    });
    sink.accept(new InboundEvent.BatchUndeliverable(message.batchId(), message.workerId(), reason));
  }
}
