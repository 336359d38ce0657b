package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.MessageCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registered worker: its routing identity, handlers, credit and the steps it holds. Credit is
 * taken in two moves: a claimer {@link #reserve reserves} free credit before claiming steps (so two
 * claimers, the dispatcher and the applier, can never promise the same slot twice), then {@link
 * #hold holds} the steps it sent and gives back what it did not use. A step's slot is freed when its
 * result is stored. Thread-safe.
 */
public final class WorkerSession {

  private final String workerId;
  private final Map<UUID, UUID> batchByHeldStep = new ConcurrentHashMap<>();
  /** Steps held plus credit reserved: never more than the credit when reserved. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile byte[] identity;
  private volatile Set<String> handlers;
  private volatile boolean unreachable;
  private volatile int credit;
  private volatile String language;
  private volatile long lastSeenNanos;
  private volatile boolean draining;
  private volatile boolean goodbyeAcknowledged;
  private volatile MessageCodec codec = JsonCodec.instance();

  WorkerSession(String workerId, byte[] identity, Set<String> handlers, int credit, String language, long nowNanos) {
    this.workerId = workerId;
    this.identity = identity;
    this.handlers = Set.copyOf(handlers);
    this.credit = credit;
    this.language = language;
    this.lastSeenNanos = nowNanos;
  }

  /** The worker's id from its HELLO. */
  public String workerId() {
    return workerId;
  }

  /** The ROUTER routing identity of its current connection. */
  public byte[] identity() {
    return identity;
  }

  /** The handler names it serves. */
  public Set<String> handlers() {
    return handlers;
  }

  /** The body codec of its session, chosen from its HELLO's encodings. */
  public MessageCodec codec() {
    return codec;
  }

  void useCodec(MessageCodec sessionCodec) {
    codec = sessionCodec;
  }

  /** The language it announced. */
  public String language() {
    return language;
  }

  /** Steps it may hold at once. */
  public int credit() {
    return credit;
  }

  /** Steps it may still be sent now: 0 while draining, or while unreachable. */
  public int freeCredit() {
    return draining || unreachable ? 0 : Math.max(0, credit - inFlight.get());
  }

  /**
   * Whether a batch could not be sent to it since it was last heard from. Nothing more is sent until
   * it is heard from again (or declared dead): otherwise the steps of each undeliverable batch would
   * go straight back to it, round after round, until its liveness window ran out.
   */
  public boolean unreachable() {
    return unreachable;
  }

  /** Records that a batch could not be sent to it. Socket thread. */
  void markUnreachable() {
    unreachable = true;
  }

  /**
   * Reserves up to {@code wanted} slots of free credit for steps about to be claimed.
   *
   * @return how many were reserved (0 when none is free)
   */
  public int reserve(int wanted) {
    while (true) {
      int used = inFlight.get();
      int granted = Math.max(0, Math.min(wanted, draining || unreachable ? 0 : credit - used));
      if (granted == 0 || inFlight.compareAndSet(used, used + granted)) {
        return granted;
      }
    }
  }

  /** Gives back reserved slots that no step took. */
  public void unreserve(int slots) {
    inFlight.addAndGet(-slots);
  }

  /** Steps it holds. */
  public int heldSteps() {
    return batchByHeldStep.size();
  }

  /** Batches it holds at least one step of. */
  public List<UUID> heldBatches() {
    return new ArrayList<>(Set.copyOf(batchByHeldStep.values()));
  }

  /** Whether it said GOODBYE. */
  public boolean draining() {
    return draining;
  }

  /** Whether the orchestrator has answered its GOODBYE. */
  public boolean goodbyeAcknowledged() {
    return goodbyeAcknowledged;
  }

  /** When it was last heard from, in {@link System#nanoTime()} terms. */
  public long lastSeenNanos() {
    return lastSeenNanos;
  }

  void reconnected(byte[] newIdentity, Set<String> newHandlers, int newCredit, String newLanguage, long nowNanos) {
    identity = newIdentity;
    handlers = Set.copyOf(newHandlers);
    credit = newCredit;
    language = newLanguage;
    lastSeenNanos = nowNanos;
    draining = false;
    goodbyeAcknowledged = false;
    unreachable = false;
  }

  void seen(long nowNanos) {
    lastSeenNanos = nowNanos;
    unreachable = false;
  }

  /** Forgives the silence while the socket was not read; says nothing about reachability. */
  void silenceForgiven(long nowNanos) {
    lastSeenNanos = nowNanos;
  }

  void setCredit(int newCredit) {
    credit = newCredit;
  }

  void startDraining() {
    draining = true;
  }

  /** Records that GOODBYE was answered. Dispatcher thread. */
  public void acknowledgeGoodbye() {
    goodbyeAcknowledged = true;
  }

  /**
   * Records steps sent in {@code batchId}, in slots {@linkplain #reserve reserved} for them. Before
   * the batch is sent.
   */
  public void hold(UUID batchId, List<UUID> stepIds) {
    for (UUID stepId : stepIds) {
      if (batchByHeldStep.put(stepId, batchId) != null) {
        // Already held (sent again before its result came): its slot is counted once.
        inFlight.decrementAndGet();
      }
    }
  }

  /** Releases one step; {@code false} when it was not held (a duplicate or stale result). */
  public boolean release(UUID stepId) {
    if (batchByHeldStep.remove(stepId) == null) {
      return false;
    }
    inFlight.decrementAndGet();
    return true;
  }

  /**
   * Releases the steps of every batch not in {@code stillHeld}: a worker registering again lists
   * the batches it holds, and a step of any other batch will not be reported on this session (its
   * process restarted, or its result went to another orchestrator). Without this its credit slot
   * would stay taken for good; the step itself runs again when its attempt times out.
   *
   * @return how many steps were released
   */
  public int retainOnly(Collection<UUID> stillHeld) {
    Set<UUID> keep = Set.copyOf(stillHeld);
    int released = 0;
    for (Map.Entry<UUID, UUID> entry : batchByHeldStep.entrySet()) {
      if (!keep.contains(entry.getValue()) && batchByHeldStep.remove(entry.getKey(), entry.getValue())) {
        inFlight.decrementAndGet();
        released++;
      }
    }
    return released;
  }

  /** Releases every step of {@code batchId} still held; returns how many. */
  public int releaseBatch(UUID batchId) {
    int released = 0;
    for (Map.Entry<UUID, UUID> entry : batchByHeldStep.entrySet()) {
      if (entry.getValue().equals(batchId) && batchByHeldStep.remove(entry.getKey(), batchId)) {
        inFlight.decrementAndGet();
        released++;
      }
    }
    return released;
  }
}
