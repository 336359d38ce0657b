package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Envelope;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.MalformedMessageException;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The thread that owns the orchestrator's ROUTER socket. It registers workers (HELLO, WELCOME or
 * REJECT), keeps their liveness (heartbeats both ways, declaring a silent worker dead), keeps
 * their credit (releasing a step when its result arrives), passes results to the applier, answers
 * bad messages with ERROR, and sends what other threads queue with {@link #send}. No other thread
 * touches the socket.
 */
public final class RouterGateway implements Runnable {

  /**
   * A message another thread wants sent, to a routing identity, or (identity null) to whatever
   * connection the worker has when it is sent.
   */
  private record Outbound(byte[] identity, List<byte[]> frames, UUID batchId, String workerId, long firstTriedNanos) {
    Outbound tried(long nowNanos) {
      return firstTriedNanos != 0 ? this : new Outbound(identity, frames, batchId, workerId, nowNanos);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(RouterGateway.class);
  private static final long BACKLOG_RETRY_MS = 5;
  private static final long PAUSED_POLL_MS = 1;
  private static final long UNDELIVERABLE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int SEEN_REPORT_EVERY_BEATS = 5;
  private static final String NUL_ESCAPE = "\\u0000";

  private final TransportSettings settings;
  private final ZContext context;
  private final WorkerRegistry registry;
  private final InboundSink sink;
  private final Runnable wakeDispatcher;
  private final Clock clock;
  private final WakeupSignal wakeup = new WakeupSignal();
  private final ConcurrentLinkedQueue<Outbound> outbound = new ConcurrentLinkedQueue<>();
  private final Deque<Outbound> backlog = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<String> boundEndpoints = new ArrayList<>();
  private final RefusalLog refusals = new RefusalLog(log);

  private volatile boolean stopRequested;
  private ZMQ.Socket router;
  private ZMQ.Poller pausedPoller;
  private boolean reading = true;
  private long nextBeatAt;
  private int beats;

  public RouterGateway(
      TransportSettings settings,
      ZContext context,
      WorkerRegistry registry,
      InboundSink sink,
      Runnable wakeDispatcher,
      Clock clock) {
    this.settings = settings;
    this.context = context;
    this.registry = registry;
    this.sink = sink;
    this.wakeDispatcher = wakeDispatcher;
    this.clock = clock;
  }

  /**
   * Creates and binds the socket. Call before starting the thread, from the thread that starts it.
   *
   * @return the bound endpoints, with real ports
   */
  public List<String> bind() {
    router = context.createSocket(SocketType.ROUTER);
    router.setRouterMandatory(true);
    // A worker that reconnects with the same identity takes over its old routing entry.
    router.setRouterHandover(true);
    router.setLinger(1000);
    router.setSndHWM(settings.sendHighWaterMark());
    router.setRcvHWM(settings.receiveHighWaterMark());
    router.setMaxMsgSize(settings.maxMessageBytes() + 1024L);
    for (String endpoint : settings.endpoints()) {
      boundEndpoints.add(bindOne(endpoint));
    }
    return List.copyOf(boundEndpoints);
  }

  private String bindOne(String endpoint) {
    if (endpoint.startsWith("tcp://") && (endpoint.endsWith(":0") || endpoint.endsWith(":*"))) {
      String prefix = endpoint.substring(0, endpoint.lastIndexOf(':'));
      int port = router.bindToRandomPort(prefix);
      return prefix + ":" + port;
    }
    router.bind(endpoint);
    return endpoint;
  }

  /** Queues a message to a worker. Any thread. */
  public void send(byte[] identity, Message message) {
    MessageCodec codec = registry.byIdentity(identity).map(WorkerSession::codec).orElse(JsonCodec.instance());
    send(identity, Frames.encode(message, codec), null, null);
  }

  /**
   * Queues frames to a worker. Any thread.
   *
   * @param batchId when the frames are a batch: reported undeliverable if the worker is gone
   */
  public void send(byte[] identity, List<byte[]> frames, UUID batchId, String workerId) {
    outbound.add(new Outbound(identity, frames, batchId, workerId, 0));
    wakeup.wake();
  }

  /**
   * Says goodbye to every registered worker and records that they are gone from this orchestrator
   * (a worker that stays up registers again with the next one). Any thread; call before {@link
   * #requestStop()}.
   */
  public void farewell() {
    for (WorkerSession session : registry.sessions()) {
      send(session.identity(), new Goodbye("shutdown"));
      sink.accept(new InboundEvent.WorkerGone(session.workerId(), false, clock.instant()));
    }
  }

  /** Queues a message to a worker by id; dropped if the worker is not registered then. Any thread. */
  public void sendToWorker(String workerId, Message message) {
    MessageCodec codec = registry.byWorkerId(workerId).map(WorkerSession::codec).orElse(JsonCodec.instance());
    outbound.add(new Outbound(null, Frames.encode(message, codec), null, workerId, 0));
    wakeup.wake();
  }

  /** Asks the thread to stop after sending what is queued. Any thread. */
  public void requestStop() {
    stopRequested = true;
    wakeup.wake();
  }

  /** Waits for the thread to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    ZMQ.Poller poller = context.createPoller(2);
    int routerIndex = poller.register(router, ZMQ.Poller.POLLIN);
    int wakeupIndex = poller.register(wakeup.channel(), ZMQ.Poller.POLLIN);
    pausedPoller = context.createPoller(1);
    pausedPoller.register(wakeup.channel(), ZMQ.Poller.POLLIN);
    nextBeatAt = now() + settings.heartbeatIntervalMs();
    try {
      while (!stopRequested) {
        // One bad message or a bug in one pass must not take the workers' only connection down.
        try {
          pollOnce(poller, routerIndex, wakeupIndex);
        } catch (RuntimeException e) {
          log.error("orchestrator transport pass failed; carrying on", e);
        }
      }
      sendQueued();
    } finally {
      poller.close();
      pausedPoller.close();
      context.destroySocket(router);
      wakeup.close();
      stopped.countDown();
    }
  }

  private void pollOnce(ZMQ.Poller poller, int routerIndex, int wakeupIndex) {
    if (!sink.acceptsMoreResults()) {
      // The applier is behind: leave what workers send in the socket's buffers for now.
      if (reading) {
        log.debug("applier backlog full; pausing reads");
        reading = false;
      }
      pausedPoller.poll(PAUSED_POLL_MS);
      wakeup.clear();
      sendQueued();
      if (now() >= nextBeatAt) {
        heartbeat();
        nextBeatAt = now() + settings.heartbeatIntervalMs();
      }
      return;
    }
    if (!reading) {
      // Workers were not heard while reads were paused; that is not their silence.
      long nowNanos = System.nanoTime();
      registry.sessions().forEach(session -> session.seen(nowNanos));
      reading = true;
    }
    long timeout = backlog.isEmpty() ? Math.max(1, nextBeatAt - now()) : BACKLOG_RETRY_MS;
    poller.poll(timeout);
    if (poller.pollin(wakeupIndex)) {
      wakeup.clear();
    }
    if (poller.pollin(routerIndex)) {
      receiveAll();
    }
    sendQueued();
    if (now() >= nextBeatAt) {
      heartbeat();
      nextBeatAt = now() + settings.heartbeatIntervalMs();
    }
  }

  private void receiveAll() {
    List<byte[]> frames;
    int received = 0;
    while (received++ < 10_000 && sink.acceptsMoreResults() && (frames = MultipartSocket.receive(router)) != null) {
      byte[] identity = frames.get(0);
      try {
        handle(identity, frames.subList(1, frames.size()));
      } catch (ProtocolException e) {
        refuse(identity, e, Frames.namesErrorType(frames.subList(1, frames.size())));
      } catch (RuntimeException e) {
        log.error("handling a message from {} failed", describe(identity), e);
      }
    }
  }

  private void handle(byte[] identity, List<byte[]> frames) {
    Envelope envelope = Frames.parse(frames, settings.maxMessageBytes());
    WorkerSession session = registry.byIdentity(identity).orElse(null);
    long now = System.nanoTime();
    if (session != null) {
      session.seen(now);
    }
    Frames.requireSentTo(envelope, MessageType.Direction.TO_ORCHESTRATOR);
    Message message = decode(envelope, session);
    if (message instanceof PartialResult || message instanceof BatchCompletion) {
      // The ledger keeps every result as JSON, whatever encoding it arrived in.
      String json = session == null || session.codec() == JsonCodec.instance()
          ? new String(envelope.body(), StandardCharsets.UTF_8)
          : JsonCodec.instance().toJson(message);
      if (json.contains(NUL_ESCAPE) && JsonCodec.holdsNul(JsonCodec.instance().toTree(message))) {
        throw new MalformedMessageException(
            ErrorCode.MALFORMED_BODY,
            envelope.type().wireName() + ": strings must not contain \\u0000 (it cannot be stored)",
            envelope.type().wireName(),
            null);
      }
      onResult(identity, session, message, json);
      return;
    }
    if (message instanceof Hello hello) {
      onHello(identity, hello, now);
    } else if (session == null) {
      if (!(message instanceof ProtocolError)) {
        send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED,
            "send HELLO first: this orchestrator does not know the sender", envelope.type().wireName(), null));
      }
    } else if (message instanceof Heartbeat) {
      return;
    } else if (message instanceof Credit credit) {
      session.setCredit(credit.credit());
      wakeDispatcher.run();
    } else if (message instanceof Goodbye) {
      log.info("worker {} is draining ({} steps held)", session.workerId(), session.heldSteps());
      session.startDraining();
      sink.accept(new InboundEvent.WorkerDraining(session.workerId(), clock.instant()));
      // The dispatcher answers, so that its answer follows every batch it has already queued.
      wakeDispatcher.run();
    } else if (message instanceof ProtocolError error) {
      log.warn("worker {} refused a message: {} {}", session.workerId(), error.code().wireName(), error.message());
    }
  }

  /**
   * Whether a body is meant as JSON: its first byte other than white space opens an object or an
   * array. A protobuf body of a worker message never starts so (no field 11 or 15, no groups).
   */
  private static boolean looksLikeJson(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{' || b == '[';
      }
    }
    return true;
  }

  /**
   * Decodes a body in the sender's session encoding. A sender without a session is read as JSON;
   * when that fails for a message that needs a session, it is told to register (it may be a
   * worker of an earlier orchestrator still speaking that session's encoding).
   */
  private Message decode(Envelope envelope, WorkerSession session) {
    if (session != null) {
      return Frames.decodeBody(envelope, session.codec());
    }
    try {
      return Frames.decodeBody(envelope, JsonCodec.instance());
    } catch (MalformedMessageException e) {
      if (Encodings.alwaysJson(envelope.type()) || looksLikeJson(envelope.body())) {
        throw e;
      }
      throw new MalformedMessageException(ErrorCode.NOT_REGISTERED,
          "send HELLO first: this orchestrator does not know the sender, and its "
              + envelope.type().wireName() + " is not JSON (" + e.getMessage() + ")",
          envelope.type().wireName(), e);
    }
  }

  private void onHello(byte[] identity, Hello hello, long now) {
    String version = ProtocolVersion.negotiate(hello.protocolVersions());
    if (version == null) {
      String reason = "no common protocol version: worker offered " + hello.protocolVersions()
          + ", orchestrator speaks " + ProtocolVersion.SUPPORTED;
      log.warn("rejected worker {}: {}", hello.workerId(), reason);
      send(identity, new Reject(hello.workerId(), reason, ProtocolVersion.SUPPORTED));
      return;
    }
    String encoding = Encodings.negotiate(settings.encodings(), hello.encodings());
    if (encoding == null) {
      String reason = "no common encoding: worker offered " + hello.encodings() + ", orchestrator speaks "
          + settings.encodings();
      log.warn("rejected worker {}: {}", hello.workerId(), reason);
      send(identity, new Reject(hello.workerId(), reason, ProtocolVersion.SUPPORTED));
      return;
    }
    boolean known = registry.byWorkerId(hello.workerId()).isPresent();
    registry.register(identity, hello, Encodings.codec(encoding), now);
    send(identity, new Welcome(hello.workerId(), settings.orchestratorId(), version, encoding,
        settings.heartbeatIntervalMs()));
    if (!known) {
      log.info("worker {} ({}) registered: handlers {}, credit {}, encoding {}",
          hello.workerId(), hello.language(), hello.handlers(), hello.concurrency(), encoding);
    }
    sink.accept(new InboundEvent.WorkerRegistered(hello, version, encoding, clock.instant()));
    if (hello.heldBatches() != null) {
      sink.accept(new InboundEvent.WorkerRecovered(hello.workerId(), hello.heldBatches(), clock.instant()));
    }
    wakeDispatcher.run();
  }

  private void onResult(byte[] identity, WorkerSession session, Message message, String json) {
    // The worker's credit comes back when the applier has stored the result.
    sink.accept(new InboundEvent.ResultReceived(
        session == null ? null : session.workerId(), message, json, clock.instant()));
    if (session == null) {
      send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED,
          "result recorded, but send HELLO: this orchestrator does not know the sender",
          message.type().wireName(), null));
    }
  }

  private void refuse(byte[] identity, ProtocolException e, boolean refusedAnError) {
    refusals.refused(describe(identity), e.getMessage(), now());
    if (!refusedAnError && !MessageType.ERROR.wireName().equals(e.messageType())) {
      send(identity, ProtocolError.of(e));
    }
  }

  private void sendQueued() {
    long now = System.nanoTime();
    while (!backlog.isEmpty()) {
      if (!trySend(backlog.peekFirst(), now)) {
        break;
      }
      backlog.removeFirst();
    }
    Outbound next;
    while ((next = outbound.poll()) != null) {
      if (!backlog.isEmpty() || !trySend(next, now)) {
        backlog.addLast(next.tried(now));
      }
    }
  }

  /** @return false when the message should be retried later */
  private boolean trySend(Outbound message, long now) {
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
          message.identity() == null ? "worker " + message.workerId() : describe(message.identity()), reason);
      return;
    }
    log.warn("batch {} could not be sent to worker {}: {}", message.batchId(), message.workerId(), reason);
    registry.byWorkerId(message.workerId()).ifPresent(s -> s.releaseBatch(message.batchId()));
    sink.accept(new InboundEvent.BatchUndeliverable(message.batchId(), message.workerId(), reason));
  }

  private void heartbeat() {
    long now = System.nanoTime();
    long deadAfter = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMs() * settings.heartbeatLiveness());
    Instant at = clock.instant();
    Heartbeat beat = new Heartbeat(at.truncatedTo(ChronoUnit.MILLIS));
    List<String> seen = new ArrayList<>();
    for (WorkerSession session : registry.sessions()) {
      if (reading && now - session.lastSeenNanos() > deadAfter) {
        registry.remove(session);
        boolean dead = !session.draining() || session.heldSteps() > 0;
        if (dead) {
          log.warn("worker {} missed its heartbeats for {} ms: declared dead with {} steps held",
              session.workerId(), TimeUnit.NANOSECONDS.toMillis(now - session.lastSeenNanos()), session.heldSteps());
        } else {
          log.info("worker {} left", session.workerId());
        }
        sink.accept(new InboundEvent.WorkerGone(session.workerId(), dead, at));
        wakeDispatcher.run();
        continue;
      }
      send(session.identity(), beat);
      seen.add(session.workerId());
    }
    if (++beats % SEEN_REPORT_EVERY_BEATS == 0 && !seen.isEmpty()) {
      sink.accept(new InboundEvent.WorkersSeen(seen, at));
    }
  }

  private String describe(byte[] identity) {
    return registry.byIdentity(identity)
        .map(session -> "worker " + session.workerId())
        .orElseGet(() -> "unregistered peer " + HexFormat.of().formatHex(identity));
  }

  private long now() {
    return System.nanoTime() / 1_000_000;
  }
}
