package dev.tasker.orchestrator.internal.transport;

import dev.tasker.orchestrator.internal.LogIds;
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
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.transport.RefusalLog;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.Welcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The orchestrator's side of each worker's session, for what the socket thread reads: it registers
 * workers (HELLO, WELCOME or REJECT), keeps their liveness (heartbeats both ways, declaring a
 * silent worker dead), keeps their credit, passes results to the applier and answers bad messages
 * with ERROR. Its answers go out through the {@link OutboundBacklog}. Socket thread only.
 */
final class SessionProtocol {

  private static final String NUL_ESCAPE = "\\u0000";

  private final TransportSettings settings;
  private final WorkerRegistry registry;
  private final InboundSink sink;
  private final Runnable wakeDispatcher;
  private final Clock clock;
  private final OutboundBacklog outbound;
  private final Logger log;
  private final RefusalLog refusals;

  /** @param log the socket thread's log (the gateway's) */
  SessionProtocol(
      TransportSettings settings,
      WorkerRegistry registry,
      InboundSink sink,
      Runnable wakeDispatcher,
      Clock clock,
      OutboundBacklog outbound,
      Logger log) {
    this.settings = settings;
    this.registry = registry;
    this.sink = sink;
    this.wakeDispatcher = wakeDispatcher;
    this.clock = clock;
    this.outbound = outbound;
    this.log = log;
    this.refusals = new RefusalLog(log, "message");
  }

  /**
   * Handles one message read from the socket. A message that breaks the protocol is refused; a
   * failure to handle one is logged, and does not stop the next.
   *
   * @param frames the sender's routing identity, then the message's frames
   */
  void receive(List<byte[]> frames) {
    byte[] identity = frames.get(0);
    List<byte[]> message = frames.subList(1, frames.size());
    try {
      handle(identity, message);
    } catch (ProtocolException e) {
      refuse(identity, e, Frames.namesErrorType(message));
    } catch (RuntimeException e) {
      log.error("handling a message from {} failed", registry.describe(identity), e);
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
        outbound.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED,
            "send HELLO first: this orchestrator does not know the sender", envelope.type().wireName(), null));
      }
    } else if (message instanceof Heartbeat) {
      return;
    } else if (message instanceof Credit credit) {
      session.setCredit(credit.credit());
      wakeDispatcher.run();
    } else if (message instanceof Goodbye) {
      try (LogIds ids = LogIds.worker(session.workerId())) {
        log.info("worker {} is draining ({} steps held)", session.workerId(), session.heldSteps());
      }
      session.startDraining();
      sink.accept(new InboundEvent.WorkerDraining(session.workerId(), clock.instant()));
      // The dispatcher answers, so that its answer follows every batch it has already queued.
      wakeDispatcher.run();
    } else if (message instanceof ProtocolError error) {
      try (LogIds ids = LogIds.worker(session.workerId())) {
        log.warn("worker {} refused a message: {} {}", session.workerId(), error.code().wireName(), error.message());
      }
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
      try (LogIds ids = LogIds.worker(hello.workerId())) {
        log.warn("rejected worker {}: {}", hello.workerId(), reason);
      }
      outbound.send(identity, new Reject(hello.workerId(), reason, ProtocolVersion.SUPPORTED));
      return;
    }
    String encoding = Encodings.negotiate(settings.encodings(), hello.encodings());
    if (encoding == null) {
      String reason = "no common encoding: worker offered " + hello.encodings() + ", orchestrator speaks "
          + settings.encodings();
      try (LogIds ids = LogIds.worker(hello.workerId())) {
        log.warn("rejected worker {}: {}", hello.workerId(), reason);
      }
      outbound.send(identity, new Reject(hello.workerId(), reason, ProtocolVersion.SUPPORTED));
      return;
    }
    boolean known = registry.byWorkerId(hello.workerId()).isPresent();
    registry.register(identity, hello, Encodings.codec(encoding), now);
    outbound.send(identity, new Welcome(hello.workerId(), settings.orchestratorId(), version, encoding,
        settings.heartbeatIntervalMs(), settings.peers().get()));
    if (!known) {
      try (LogIds ids = LogIds.worker(hello.workerId())) {
        log.info("worker {} ({}) registered: handlers {}, credit {}, encoding {}",
            hello.workerId(), hello.language(), hello.handlers(), hello.concurrency(), encoding);
      }
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
      outbound.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED,
          "result recorded, but send HELLO: this orchestrator does not know the sender",
          message.type().wireName(), null));
    }
  }

  private void refuse(byte[] identity, ProtocolException e, boolean refusedAnError) {
    refusals.refused(registry.describe(identity), e.getMessage(), System.nanoTime() / 1_000_000);
    if (!refusedAnError && !MessageType.ERROR.wireName().equals(e.messageType())) {
      outbound.send(identity, ProtocolError.of(e));
    }
  }

  /**
   * Called when the socket is read again after a pause. Workers were not heard while reads were
   * paused; that is not their silence.
   */
  void readsResumed() {
    long nowNanos = System.nanoTime();
    registry.sessions().forEach(session -> session.silenceForgiven(nowNanos));
  }

  /**
   * Sends every worker a heartbeat, declares dead (or gone, after its GOODBYE) a worker silent for
   * the liveness window, and reports the workers heard from.
   *
   * @param reading whether the socket is being read; while it is not, silence is not held against
   *     a worker
   */
  void heartbeat(boolean reading) {
    long now = System.nanoTime();
    long deadAfter = TimeUnit.MILLISECONDS.toNanos(settings.heartbeatIntervalMs() * settings.heartbeatLiveness());
    Instant at = clock.instant();
    Heartbeat beat = new Heartbeat(at.truncatedTo(ChronoUnit.MILLIS));
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (WorkerSession session : registry.sessions()) {
      if (reading && now - session.lastSeenNanos() > deadAfter) {
        registry.remove(session);
        boolean dead = !session.draining() || session.heldSteps() > 0;
        try (LogIds ids = LogIds.worker(session.workerId())) {
          if (dead) {
            log.warn("worker {} missed its heartbeats for {} ms: declared dead with {} steps held",
                session.workerId(), TimeUnit.NANOSECONDS.toMillis(now - session.lastSeenNanos()), session.heldSteps());
          } else {
            log.info("worker {} left", session.workerId());
          }
        }
        sink.accept(new InboundEvent.WorkerGone(session.workerId(), dead, at));
        wakeDispatcher.run();
        continue;
      }
      outbound.send(session.identity(), beat);
      seen.put(session.workerId(), session.credit());
    }
    // Every beat: other orchestrators judge a worker alive by this report (database clock), with
    // a window of heartbeat_liveness beats. The credits ride along: one write per beat, not one per
    // CREDIT message.
    if (!seen.isEmpty()) {
      sink.accept(new InboundEvent.WorkersSeen(seen, at));
    }
  }
}
