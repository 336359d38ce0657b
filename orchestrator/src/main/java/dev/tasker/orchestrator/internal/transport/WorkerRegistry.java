package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.Hello;
import dev.tasker.protocol.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The workers currently registered, by worker id and by routing identity. Thread-safe. */
public final class WorkerRegistry {

  private final Map<String, WorkerSession> byWorkerId = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, WorkerSession> byIdentity = new ConcurrentHashMap<>();

  /**
   * Registers a worker, or updates it when its id is known (a reconnect keeps the steps it holds).
   *
   * @param codec the body codec of the new session
   */
  public synchronized WorkerSession register(byte[] identity, Hello hello, MessageCodec codec, long nowNanos) {
    WorkerSession session = byWorkerId.get(hello.workerId());
    if (session == null) {
      session =
          new WorkerSession(
              hello.workerId(), identity, new HashSet<>(hello.handlers()), hello.concurrency(),
              hello.language(), nowNanos);
      byWorkerId.put(hello.workerId(), session);
    } else {
      byIdentity.remove(ByteBuffer.wrap(session.identity()));
      session.reconnected(identity, new HashSet<>(hello.handlers()), hello.concurrency(), hello.language(), nowNanos);
      if (hello.heldBatches() != null) {
        session.retainOnly(hello.heldBatches());
      }
    }
    session.useCodec(codec);
    byIdentity.put(ByteBuffer.wrap(identity.clone()), session);
    return session;
  }

  /** The session of a routing identity. */
  public Optional<WorkerSession> byIdentity(byte[] identity) {
    return Optional.ofNullable(byIdentity.get(ByteBuffer.wrap(identity)));
  }

  /** The session of a worker id. */
  public Optional<WorkerSession> byWorkerId(String workerId) {
    return Optional.ofNullable(byWorkerId.get(workerId));
  }

  /** Removes a session. */
  public synchronized void remove(WorkerSession session) {
    byWorkerId.remove(session.workerId(), session);
    byIdentity.remove(ByteBuffer.wrap(session.identity()), session);
  }

  /** Every registered session. */
  public List<WorkerSession> sessions() {
    return new ArrayList<>(byWorkerId.values());
  }

  /** How logs name the peer of a routing identity: its worker, or the identity in hex when unregistered. */
  String describe(byte[] identity) {
    return byIdentity(identity)
        .map(session -> "worker " + session.workerId())
        .orElseGet(() -> "unregistered peer " + HexFormat.of().formatHex(identity));
  }
}
