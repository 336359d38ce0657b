package dev.tasker.worker.internal;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.Envelope;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.WakeupSignal;
import dev.tasker.worker.StepContext;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.zeromq.ZContext;

/**
 * The thread that owns a worker's DEALER sockets, one per orchestrator ({@link Sessions}). On each
 * session it registers with HELLO, receives batches and hands their steps to the {@link
 * HandlerExecutor}, heartbeats, and registers again when that orchestrator goes silent or forgets
 * the worker. It numbers and sends the partial results that handler threads queue and each batch's
 * completion on the session the batch came from, or on another welcomed one when that session is
 * lost; shares the credit among the welcomed sessions; and drains on request. No other thread
 * touches the sockets: they queue work and call {@link WakeupSignal#wake()}.
 */
public final class WorkerLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);
  private static final long MAX_POLL_MS = 1000;
  private static final int HELLOS_PER_SOCKET = 3;
  /**
   * How long a CURVE session waits for a WELCOME before the worker says why it may never come: a
   * refused CURVE handshake is silent on the client's side (JeroMQ reports nothing to a DEALER).
   * Long enough for an orchestrator that is starting, short enough to be seen by whoever started
   * the worker.
   */
  public static final long NO_WELCOME_WARNING_MS = 5000;

  private final WorkerSettings settings;
  private final HandlerExecutor executor;
  private final WakeupSignal wakeup;
  private final ConcurrentLinkedQueue<StepOutcome> outcomes = new ConcurrentLinkedQueue<>();
  private final CountDownLatch registered = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ResultOutbox outbox;
  private final Sessions sessions;
  private final SessionPoller poller;

  private volatile boolean drainRequested;
  private volatile Integer requestedCredit;
  private volatile String rejection;
  private volatile int welcomedSessions;
  private volatile int stepsHeld;

  /** The credit shared among the sessions: the concurrency, or the last one requested. */
  private int totalCredit;
  private long drainDeadline = Long.MAX_VALUE;
  /** A session was lost or dropped since the others last heard which batches this worker holds. */
  private boolean sessionGone;

  /**
   * @param context the ZeroMQ context to create the sockets in (shared for {@code inproc://})
   */
  public WorkerLoop(WorkerSettings settings, ZContext context, HandlerExecutor executor) {
    this.settings = settings;
    this.executor = executor;
    this.wakeup = new WakeupSignal(context);
    this.outbox = new ResultOutbox(settings.workerId(), settings.clock());
    this.sessions = new Sessions(context, settings.workerId(), settings.helloRetryMax().toMillis(), settings.curve());
    this.poller = new SessionPoller(context, wakeup);
    this.totalCredit = settings.concurrency();
  }

  /** Asks the loop to drain: GOODBYE, finish held steps, report them, stop. Any thread. */
  public void requestDrain() {
    drainRequested = true;
    wakeup.wake();
  }

  /** Asks the loop to announce a new credit, shared among the sessions. Any thread. */
  public void requestCredit(int credit) {
    requestedCredit = credit;
    wakeup.wake();
  }

  /** Waits until an orchestrator has welcomed the worker. */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    return registered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the loop has ended. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The orchestrators' reason when every one refused the worker, or {@code null}. */
  public String rejection() {
    return rejection;
  }

  /** Steps received and not yet reported. Any thread. */
  public int stepsHeld() {
    return stepsHeld;
  }

  /** How many orchestrators have the worker welcomed now. Any thread. */
  public int welcomedSessions() {
    return welcomedSessions;
  }

  @Override
  public void run() {
    // Every line this thread logs is about this worker: the JSON log format carries the id as a field.
    MDC.put(StepLogContext.WORKER_ID, settings.workerId());
    try {
      long now = now();
      for (String endpoint : settings.endpoints()) {
        sendHello(sessions.open(endpoint, now));
      }
      while (!finished()) {
        List<OrchestratorSession> readable = poller.poll(sessions.all(), pollTimeout());
        if (poller.woken()) {
          wakeup.clear();
        }
        for (OrchestratorSession session : readable) {
          receiveAll(session);
        }
        reportOutcomes();
        applyRequests();
        keepSessionsAlive();
        rerouteResults();
        welcomedSessions = sessions.welcomed().size();
      }
    } catch (RuntimeException e) {
      log.error("worker {} loop failed", settings.workerId(), e);
    } finally {
      poller.close();
      sessions.close();
      wakeup.close();
      MDC.remove(StepLogContext.WORKER_ID);
      stopped.countDown();
    }
  }

  private boolean finished() {
    if (rejection != null) {
      return true;
    }
    if (!drainRequested) {
      return false;
    }
    if (now() >= drainDeadline) {
      if (stepsHeld > 0 || outbox.pending() > 0 || outbox.unacknowledged() > 0) {
        log.warn("worker {} stops after its drain timeout with {} steps running, {} results unsent and {}"
            + " unacknowledged", settings.workerId(), stepsHeld, outbox.pending(), outbox.unacknowledged());
      }
      return true;
    }
    if (stepsHeld > 0 || outbox.pending() > 0) {
      return false;
    }
    // Leave once an orchestrator has stored every result (it acknowledges after its commit), and
    // every orchestrator still there has answered the GOODBYE.
    return outbox.unacknowledged() == 0
        && sessions.all().stream().allMatch(s -> s.goodbyeAcknowledged() || !s.welcomed());
  }

  private long pollTimeout() {
    long now = now();
    long next = Math.min(sessions.nextDeadline(now + MAX_POLL_MS, now, settings.livenessMultiplier()), drainDeadline);
    return Math.max(1, next - now);
  }

  private void receiveAll(OrchestratorSession session) {
    List<byte[]> frames;
    // A message can close the session (a second session with one orchestrator, a REJECT).
    while (sessions.all().contains(session) && (frames = session.connection().receive()) != null) {
      session.heard(now());
      Message message;
      try {
        Envelope envelope = Frames.parse(frames);
        Frames.requireSentTo(envelope, MessageType.Direction.TO_WORKER);
        message = Frames.decodeBody(envelope, session.codec());
      } catch (ProtocolException e) {
        log.warn("worker {} refused a message from {}: {}", settings.workerId(), session, e.getMessage());
        if (!Frames.namesErrorType(frames)) {
          send(session, ProtocolError.of(e));
        }
        continue;
      }
      handle(session, message);
      // Handling can take a while (the first WELCOME in protobuf loads its classes): that is not
      // the orchestrator's silence.
      session.heard(now());
    }
  }

  /** Acts on a message; {@link Frames#requireSentTo} has refused the types a worker never gets. */
  private void handle(OrchestratorSession session, Message message) {
    if (message instanceof Welcome welcome) {
      onWelcome(session, welcome);
    } else if (message instanceof StepBatchRequest batch) {
      onBatch(session, batch);
    } else if (message instanceof Heartbeat) {
      return;
    } else if (message instanceof Ack ack) {
      outbox.acknowledged(ack);
    } else if (message instanceof Goodbye goodbye) {
      onGoodbye(session, goodbye);
    } else if (message instanceof Reject reject) {
      log.error("orchestrator at {} rejected worker {}: {}", session.endpoint(), settings.workerId(), reject.reason());
      drop(session, reject.reason());
    } else if (message instanceof ProtocolError error) {
      onError(session, error);
    }
  }

  private void onWelcome(OrchestratorSession session, Welcome welcome) {
    if (!settings.encodings().contains(welcome.encoding())) {
      String reason = "the orchestrator chose encoding '" + welcome.encoding()
          + "', which this worker did not offer " + settings.encodings();
      log.error("worker {} cannot join {}: {}", settings.workerId(), session, reason);
      drop(session, reason);
      return;
    }
    boolean again = session.answersHelloAgain();
    if (!session.welcomed()) {
      log.info("worker {} registered with orchestrator {} at {} (protocol {}, encoding {}, heartbeat {} ms)",
          settings.workerId(), welcome.orchestratorId(), session.endpoint(), welcome.protocolVersion(),
          welcome.encoding(), welcome.heartbeatIntervalMs());
    }
    session.welcome(welcome);
    OrchestratorSession other = sessions.sameOrchestrator(session);
    if (other != null) {
      // The same orchestrator by two endpoints: the newer session goes, its results to the older.
      OrchestratorSession newer = other.id() > session.id() ? other : session;
      outbox.move(newer.id(), (newer == other ? session : other).id());
      sessions.close(newer);
      if (newer == session) {
        sessions.rebalance(totalCredit, now());
        return;
      }
    }
    registered.countDown();
    if (!again) {
      outbox.resendUnacknowledged(session.id());
    }
    if (settings.discover()) {
      sessions.discover(welcome, now()).forEach(this::sendHello);
    }
    sessions.rebalance(totalCredit, now());
    if (drainRequested && !session.goodbyeSent()) {
      sendGoodbye(session);
    }
    flush(session);
  }

  private void onBatch(OrchestratorSession session, StepBatchRequest batch) {
    if (!outbox.open(batch.batchId(), batch.steps().size(), session.id())) {
      log.warn("worker {} ignored batch {}: it is already running", settings.workerId(), batch.batchId());
      return;
    }
    stepsHeld += batch.steps().size();
    for (StepExecutionRequest step : batch.steps()) {
      StepContext stepContext = StepRunner.contextOf(step);
      var handler = settings.handlers().get(step.handler());
      executor.submit(
          () -> {
            // Every line a handler logs names its step (with a JSON log format, as fields).
            try (var ids = StepLogContext.of(settings.workerId(), step.taskId(), step.stepId(), batch.batchId())) {
              outcomes.add(StepRunner.run(handler, stepContext, batch.batchId(), settings.clock()));
            }
            wakeup.wake();
          });
    }
  }

  private void onGoodbye(OrchestratorSession session, Goodbye goodbye) {
    if (drainRequested) {
      session.goodbyeAcknowledged(true);
    } else {
      log.info("orchestrator ended the session of worker {} on {} ({}); registering again",
          settings.workerId(), session, goodbye.reason());
      sessionLost(session);
    }
  }

  private void onError(OrchestratorSession session, ProtocolError error) {
    if (error.code() == ErrorCode.NOT_REGISTERED) {
      log.info("orchestrator at {} does not know worker {}; registering again", session.endpoint(), settings.workerId());
      sessionLost(session);
    } else {
      log.warn("orchestrator at {} refused a message of worker {}: {} {}",
          session.endpoint(), settings.workerId(), error.code().wireName(), error.message());
    }
  }

  private void sessionLost(OrchestratorSession session) {
    session.lost(now());
    sessionGone = true;
    sessions.rebalance(totalCredit, now());
  }

  /**
   * Ends a session an orchestrator refused. Its results go to another session; with none left the
   * worker stops, refused.
   */
  private void drop(OrchestratorSession session, String reason) {
    OrchestratorSession other = sessions.anotherWelcomed(session);
    if (other == null && sessions.all().size() == 1) {
      rejection = reason;
      return;
    }
    if (other != null) {
      outbox.move(session.id(), other.id());
      sessionGone = true;
    }
    sessions.close(session);
    sessions.rebalance(totalCredit, now());
  }

  private void reportOutcomes() {
    StepOutcome outcome;
    while ((outcome = outcomes.poll()) != null) {
      stepsHeld--;
      outbox.report(outcome);
    }
    sessions.welcomed().forEach(this::flush);
  }

  private void flush(OrchestratorSession session) {
    if (session.welcomed()) {
      long now = now();
      outbox.flush(session.id(), frames -> session.sent(session.connection().send(frames), now), session.codec());
    }
  }

  private void applyRequests() {
    Integer credit = requestedCredit;
    if (credit != null) {
      requestedCredit = null;
      totalCredit = credit;
      sessions.rebalance(totalCredit, now());
    }
    if (drainRequested && drainDeadline == Long.MAX_VALUE) {
      drainDeadline = now() + settings.drainTimeout().toMillis();
      sessions.welcomed().forEach(this::sendGoodbye);
    }
  }

  private void sendGoodbye(OrchestratorSession session) {
    session.goodbyeSent(true);
    send(session, new Goodbye("draining"));
  }

  private void keepSessionsAlive() {
    long now = now();
    for (OrchestratorSession session : List.copyOf(sessions.all())) {
      if (session.silent(now, settings.livenessMultiplier())) {
        log.warn("worker {} heard nothing from {} for {} ms; registering again",
            settings.workerId(), session, session.silentFor(now));
        sessionLost(session);
      } else if (session.heartbeatDue(now)) {
        send(session, new Heartbeat(settings.clock().instant().truncatedTo(ChronoUnit.MILLIS)));
      }
      if (session.helloTime(now)) {
        sendHello(session);
      }
      if (settings.curve() != null && session.welcomeOverdue(now, NO_WELCOME_WARNING_MS)) {
        // Names no key: the keys to check are in the orchestrator's and the worker's settings.
        log.warn("worker {} has no WELCOME from {} after {} s: if the orchestrator there uses CURVE, check that"
            + " this worker's public key is in its authorized keys file (curve_authorized_keys_file) and that"
            + " the server key this worker was given is the orchestrator's public key; the orchestrator logs"
            + " the connections it refuses", settings.workerId(), session.endpoint(), NO_WELCOME_WARNING_MS / 1000);
      }
    }
  }

  /**
   * Moves the results of sessions that are not welcomed to a welcomed one (any orchestrator applies
   * them), and then, after a move or a lost session, says HELLO again on every welcomed session, so
   * that each knows every batch the worker holds. Also when nothing moved: a batch the lost
   * orchestrator sent that never arrived is missing from that list, and is run again for it.
   */
  private void rerouteResults() {
    boolean moved = false;
    for (OrchestratorSession lost : sessions.all()) {
      OrchestratorSession target = lost.welcomed() ? null : sessions.anotherWelcomed(lost);
      if (target != null && outbox.move(lost.id(), target.id())) {
        log.info("worker {} sends the results of {} on {}", settings.workerId(), lost, target);
        moved = true;
      }
    }
    if (moved || sessionGone) {
      sessionGone = false;
      for (OrchestratorSession session : sessions.welcomed()) {
        session.helloAgain();
        // Registering again ends a drain on the orchestrator's side: GOODBYE follows the WELCOME.
        session.goodbyeSent(false);
        session.goodbyeAcknowledged(false);
        session.credit(Math.max(1, session.credit()));
        send(session, settings.hello(session.credit(), outbox.heldBatches()));
        flush(session);
      }
    }
  }

  private void sendHello(OrchestratorSession session) {
    if (session.helloDue(now(), HELLOS_PER_SOCKET)) {
      log.debug("worker {} reopens its socket to {} after {} unanswered HELLOs",
          settings.workerId(), session.endpoint(), HELLOS_PER_SOCKET);
      session.connection().reopen();
    }
    // The share this session would have if every session were welcomed; the CREDITs that follow
    // its WELCOME correct it.
    session.credit(CreditSplit.helloShare(totalCredit, sessions.all().size()));
    send(session, settings.hello(session.credit(), outbox.heldBatches()));
  }

  private void send(OrchestratorSession session, Message message) {
    if (!session.send(message, now())) {
      log.debug("worker {} could not send {} on {} now", settings.workerId(), message.type(), session);
    }
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
