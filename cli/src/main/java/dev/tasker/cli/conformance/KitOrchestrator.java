package dev.tasker.cli.conformance;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Envelope;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.ZapHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The kit's side of the wire: a ROUTER socket on a free loopback port that plays the orchestrator
 * for one worker process. Single-threaded: a scenario drives it, and every wait pumps the socket,
 * which records what arrives, heartbeats the worker once welcomed and (unless told otherwise)
 * acknowledges results as a real orchestrator would. In a {@code --curve} run the ROUTER is a
 * CURVE server, and a ZAP handler on its own thread accepts only the run's worker key.
 */
final class KitOrchestrator implements AutoCloseable {

  /** One message from the worker, with when it arrived; {@code problem} when it could not be read. */
  record Received(long atNanos, MessageType type, Message message, String problem) {

    boolean is(Class<? extends Message> kind) {
      return kind.isInstance(message);
    }

    @Override
    public String toString() {
      return problem != null ? "unreadable " + (type == null ? "message" : type.wireName()) + " (" + problem + ")"
          : type.wireName();
    }
  }

  static final long DEFAULT_HEARTBEAT_MS = 200;
  private static final String ORCHESTRATOR_ID = "conformance-kit";

  private final ZContext context = new ZContext();
  private final ZMQ.Socket router;
  private final ZMQ.Poller poller;
  private final ZapHandler zap;
  private final String endpoint;
  private final Deque<Received> inbox = new ArrayDeque<>();
  private final List<Received> all = new ArrayList<>();
  private byte[] identity;
  private MessageCodec codec = JsonCodec.instance();
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_MS;
  private boolean welcomed;
  private boolean heartbeating = true;
  private boolean autoAck = true;
  private long lastSentNanos;

  /** @param curve the run's keys, or {@code null} for a plain ROUTER */
  KitOrchestrator(KitCurve curve) {
    router = context.createSocket(SocketType.ROUTER);
    router.setLinger(0);
    router.setRouterHandover(true);
    zap = curve == null ? null : curve.secure(context, router);
    int port = router.bindToRandomPort("tcp://127.0.0.1");
    endpoint = "tcp://127.0.0.1:" + port;
    poller = context.createPoller(1);
    poller.register(router, ZMQ.Poller.POLLIN);
  }

  String endpoint() {
    return endpoint;
  }

  /** Connections the ZAP handler refused; 0 without CURVE. */
  long refusedConnections() {
    return zap == null ? 0 : zap.refused();
  }

  long heartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  /** Whether the kit heartbeats the worker while welcomed (default on). */
  void heartbeating(boolean on) {
    heartbeating = on;
  }

  /** Whether the kit acknowledges results as they arrive (default on). */
  void autoAck(boolean on) {
    autoAck = on;
  }

  /** Every message received so far, heartbeats included, in arrival order. */
  List<Received> received() {
    return List.copyOf(all);
  }

  /** Waits for a HELLO, answers nothing. */
  Hello awaitHello(Duration timeout) {
    Received received = next(timeout, r -> r.type() == MessageType.HELLO);
    if (received == null) {
      throw new ConformanceFailure("no HELLO within " + timeout.toSeconds() + " s");
    }
    if (received.problem() != null) {
      throw new ConformanceFailure("the HELLO is not valid: " + received.problem());
    }
    return (Hello) received.message();
  }

  /** Answers a HELLO with WELCOME choosing {@code encoding}; later bodies use that encoding. */
  void welcome(Hello hello, String encoding, long heartbeatMs) {
    heartbeatIntervalMs = heartbeatMs;
    send(new Welcome(hello.workerId(), ORCHESTRATOR_ID, "1", encoding, heartbeatMs));
    codec = Encodings.codec(encoding);
    welcomed = true;
  }

  /** Stops heartbeating and acting as a session, as an orchestrator that went away. */
  void forgetSession() {
    welcomed = false;
  }

  /** Sends a message in the session's encoding (HELLO-phase types in JSON). */
  void send(Message message) {
    sendFrames(Frames.encode(message, codec));
  }

  /** Sends raw frames (without the routing identity). */
  void sendFrames(List<byte[]> frames) {
    if (identity == null) {
      throw new IllegalStateException("no worker has said HELLO yet");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!MultipartSocket.send(router, identity, frames)) {
      if (System.nanoTime() > deadline) {
        throw new ConformanceFailure("could not send to the worker for 5 s");
      }
      pump(1);
    }
    lastSentNanos = System.nanoTime();
  }

  /** The session's body codec. */
  MessageCodec codec() {
    return codec;
  }

  /**
   * The next message matching {@code filter}, skipping and keeping others in order, or {@code null}
   * after {@code timeout}. Heartbeats are never returned unless the filter asks for them.
   */
  Received next(Duration timeout, Predicate<Received> filter) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (var it = inbox.iterator(); it.hasNext(); ) {
        Received received = it.next();
        if (filter.test(received)) {
          it.remove();
          return received;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      pump(Math.max(1, Math.min(20, left / 1_000_000)));
    }
  }

  /** The next message other than a heartbeat, or {@code null} after {@code timeout}. */
  Received next(Duration timeout) {
    return next(timeout, r -> r.type() != MessageType.HEARTBEAT);
  }

  /** Messages other than heartbeats received and not yet taken. */
  List<Received> pending() {
    return inbox.stream().filter(r -> r.type() != MessageType.HEARTBEAT).toList();
  }

  /** Forgets the messages received and not yet taken (heartbeats stay on record). */
  void discardPending() {
    inbox.removeIf(r -> r.type() != MessageType.HEARTBEAT);
  }

  /** Keeps the session going for {@code duration}. */
  void idle(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      pump(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  private void pump(long waitMs) {
    poller.poll(waitMs);
    List<byte[]> frames;
    while ((frames = MultipartSocket.receive(router)) != null) {
      onFrames(frames);
    }
    if (welcomed && heartbeating && System.nanoTime() - lastSentNanos >= heartbeatIntervalMs * 1_000_000) {
      send(new Heartbeat(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    }
  }

  private void onFrames(List<byte[]> frames) {
    long now = System.nanoTime();
    byte[] sender = frames.get(0);
    List<byte[]> body = frames.subList(1, frames.size());
    Received received;
    try {
      Envelope envelope = Frames.parse(body);
      Message message = Frames.decodeBody(envelope, codec);
      received = new Received(now, envelope.type(), message, null);
    } catch (ProtocolException e) {
      MessageType type = e.messageType() == null ? null : MessageType.fromWireName(e.messageType()).orElse(null);
      received = new Received(now, type, null, e.getMessage());
    }
    if (received.type() == MessageType.HELLO || identity == null) {
      identity = sender;
    }
    all.add(received);
    inbox.addLast(received);
    if (autoAck && welcomed) {
      acknowledge(received);
    }
  }

  private void acknowledge(Received received) {
    if (received.message() instanceof PartialResult partial && partial.status().isTerminal()) {
      send(new Ack(List.of(new Ack.ResultRef(partial.batchId(), partial.stepId())), List.of()));
    } else if (received.message() instanceof BatchCompletion completion) {
      send(new Ack(List.of(), List.of(completion.batchId())));
    }
  }

  /** Acknowledges every result of {@code batchId} by its completion. */
  void acknowledgeBatch(UUID batchId) {
    send(new Ack(List.of(), List.of(batchId)));
  }

  /**
   * Lets a worker that is stopping finish as a real orchestrator would: answers its GOODBYE and
   * acknowledges its results, until {@code stopped} says it has gone or {@code timeout} passes.
   */
  void seeOff(java.util.function.BooleanSupplier stopped, Duration timeout) {
    autoAck = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stopped.getAsBoolean() && System.nanoTime() < deadline) {
      Received received = next(Duration.ofMillis(50), r -> true);
      if (received != null && received.type() == MessageType.GOODBYE && identity != null) {
        send(new dev.tasker.protocol.Goodbye("acknowledged"));
      }
    }
  }

  @Override
  public void close() {
    poller.close();
    context.destroySocket(router);
    if (zap != null) {
      zap.requestStop();
      try {
        zap.awaitStopped(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    context.close();
  }
}
