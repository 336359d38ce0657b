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
 * The results a worker owes its orchestrators, in order: one partial result per step as it ends,
 * numbered per batch, then the batch's completion. Each batch's results travel on a <em>route</em>
 * (a session with one orchestrator), the one the batch came on, until {@link #move} hands the
 * route's batches to another. Results wait while their route is not registered and go out, in
 * order, once it is. A sent result is kept until an orchestrator (any of them) acknowledges that it
 * is stored; after a route registers again, its unacknowledged results are sent again, before newer
 * ones. Used by the socket thread only.
 */
final class ResultOutbox {

  /** Sends one encoded message; {@code false} when the socket cannot take it now. */
  @FunctionalInterface
  interface Sender {
    boolean send(List<byte[]> frames);
  }

  /** Most results kept for acknowledgement per route; beyond it the oldest are forgotten, with a warning. */
  static final int MAX_UNACKNOWLEDGED = 200_000;

  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  /** A result by batch, and step (null for the completion). */
  private record Key(UUID batchId, UUID stepId) {}

  // Results are kept as messages and encoded when sent: a session after re-registration may use
  // another encoding than the one they were first sent in, and another route another one again.
  private record Entry(Key key, Message message) {}

  private static final class Route {
    final Deque<Entry> held = new ArrayDeque<>();
    final LinkedHashMap<Key, Message> unacknowledged = new LinkedHashMap<>();
  }

  private final String workerId;
  private final Clock clock;
  private final Map<UUID, BatchRun> batches = new HashMap<>();
  private final Map<UUID, Integer> routeOfBatch = new HashMap<>();
  private final Map<Integer, Route> routes = new HashMap<>();

  ResultOutbox(String workerId, Clock clock) {
    this.workerId = workerId;
    this.clock = clock;
  }

  /**
   * Starts tracking a batch that came on {@code route}.
   *
   * @return {@code false} when the batch is already running (a duplicate delivery)
   */
  boolean open(UUID batchId, int steps, int route) {
    if (batches.putIfAbsent(batchId, new BatchRun(batchId, steps)) != null) {
      return false;
    }
    routeOfBatch.put(batchId, route);
    return true;
  }

  /** Queues the partial result of {@code outcome}, and the batch's completion after its last step. */
  void report(StepOutcome outcome) {
    UUID batchId = outcome.batchId();
    BatchRun run = batches.get(batchId);
    Route route = route(routeOfBatch.get(batchId));
    route.held.addLast(new Entry(new Key(batchId, outcome.stepId()), run.report(outcome, workerId)));
    if (run.allReported()) {
      batches.remove(batchId);
      routeOfBatch.remove(batchId);
      BatchCompletion completion = run.completion(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      route.held.addLast(new Entry(new Key(batchId, null), completion));
    }
  }

  /** Forgets results an orchestrator has stored, whichever route they went on. */
  void acknowledged(Ack ack) {
    for (Route route : routes.values()) {
      if (route.unacknowledged.isEmpty()) {
        continue;
      }
      for (Ack.ResultRef ref : ack.partialResults()) {
        route.unacknowledged.remove(new Key(ref.batchId(), ref.stepId()));
      }
      for (UUID batchId : ack.batchCompletions()) {
        // A stored completion carries every step's summary, so the batch's partials are covered too.
        route.unacknowledged.keySet().removeIf(key -> key.batchId().equals(batchId));
      }
    }
  }

  /** Queues every unacknowledged result of {@code route} to be sent again, ahead of results not sent yet. */
  void resendUnacknowledged(int route) {
    Route r = route(route);
    List<Entry> again = new ArrayList<>();
    r.unacknowledged.forEach((key, message) -> again.add(new Entry(key, message)));
    r.unacknowledged.clear();
    for (int i = again.size() - 1; i >= 0; i--) {
      r.held.addFirst(again.get(i));
    }
  }

  /**
   * Hands everything of route {@code from} to route {@code to}: its running batches (their later
   * results go on {@code to}), then its unacknowledged and its unsent results, in their order,
   * queued on {@code to} after what it already has. Another orchestrator applies them as well
   * (results are checked against the batch, the step, the attempt and the worker in the database).
   *
   * @return whether {@code from} had anything
   */
  boolean move(int from, int to) {
    if (from == to) {
      return false;
    }
    boolean moved = false;
    for (Map.Entry<UUID, Integer> entry : routeOfBatch.entrySet()) {
      if (entry.getValue() == from) {
        entry.setValue(to);
        moved = true;
      }
    }
    Route source = routes.remove(from);
    if (source != null && (!source.unacknowledged.isEmpty() || !source.held.isEmpty())) {
      Route target = route(to);
      source.unacknowledged.forEach((key, message) -> target.held.addLast(new Entry(key, message)));
      target.held.addAll(source.held);
      moved = true;
    }
    return moved;
  }

  /** Whether {@code route} has running batches, or results unsent or unacknowledged. */
  boolean holds(int route) {
    Route r = routes.get(route);
    return (r != null && (!r.held.isEmpty() || !r.unacknowledged.isEmpty())) || routeOfBatch.containsValue(route);
  }

  /** Batches still running, or with results sent but not acknowledged, or not sent yet, on any route. */
  List<UUID> heldBatches() {
    Set<UUID> ids = new LinkedHashSet<>(batches.keySet());
    for (Route route : routes.values()) {
      route.unacknowledged.keySet().forEach(key -> ids.add(key.batchId()));
      route.held.forEach(entry -> ids.add(entry.key().batchId()));
    }
    return new ArrayList<>(ids);
  }

  /** Results sent and not yet acknowledged, on every route. */
  int unacknowledged() {
    return routes.values().stream().mapToInt(route -> route.unacknowledged.size()).sum();
  }

  /** Messages queued and not yet sent, on every route. */
  int pending() {
    return routes.values().stream().mapToInt(route -> route.held.size()).sum();
  }

  /**
   * Sends what is queued on {@code route}, in order, until the sender refuses one.
   *
   * @param codec the session's body codec
   * @return whether anything was sent
   */
  boolean flush(int route, Sender sender, MessageCodec codec) {
    Route r = routes.get(route);
    if (r == null) {
      return false;
    }
    boolean sent = false;
    while (!r.held.isEmpty() && sender.send(Frames.encode(r.held.peekFirst().message(), codec))) {
      Entry entry = r.held.removeFirst();
      r.unacknowledged.put(entry.key(), entry.message());
      if (r.unacknowledged.size() > MAX_UNACKNOWLEDGED) {
        Key oldest = r.unacknowledged.keySet().iterator().next();
        r.unacknowledged.remove(oldest);
        log.warn("{} results are unacknowledged; forgetting the oldest (batch {})", MAX_UNACKNOWLEDGED,
            oldest.batchId());
      }
      sent = true;
    }
    return sent;
  }

  private Route route(int route) {
    return routes.computeIfAbsent(route, r -> new Route());
  }
}
