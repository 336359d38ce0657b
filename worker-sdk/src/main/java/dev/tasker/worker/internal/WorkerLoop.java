package dev.tasker.worker.internal;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Envelope;
import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.WakeupSignal;
import dev.tasker.worker.StepContext;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The thread that owns a worker's DEALER socket. It registers with HELLO, receives batches and
 * hands their steps to the {@link HandlerExecutor}, numbers and sends the partial results that
 * handler threads queue, sends each batch's completion, heartbeats, re-registers when the
 * orchestrator goes silent or forgets the worker, and drains on request. No other thread touches
 * the socket: they queue work and call {@link WakeupSignal#wake()}.
 */
public final class WorkerLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);
  private static final long INITIAL_HEARTBEAT_MS = 1000;
  private static final long INITIAL_HELLO_RETRY_MS = 200;
  private static final long MAX_POLL_MS = 1000;
  private static final int HELLOS_PER_SOCKET = 3;

  private final WorkerSettings settings;
  private final ZContext context;
  private final HandlerExecutor executor;
  private final WakeupSignal wakeup;
  private final ConcurrentLinkedQueue<StepOutcome> outcomes = new ConcurrentLinkedQueue<>();
  private final CountDownLatch registered = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final ResultOutbox outbox;

  private volatile boolean drainRequested;
  private volatile Integer requestedCredit;
  private volatile String rejection;

  private final DealerConnection connection;
  private MessageCodec codec = JsonCodec.instance();
  private int hellosOnThisSocket;
  private boolean welcomed;
  private long heartbeatIntervalMs = INITIAL_HEARTBEAT_MS;
  private long helloRetryMs = INITIAL_HELLO_RETRY_MS;
  private long nextHelloAt;
  private long lastHeardAt;
  private long lastSentAt;
  private int stepsHeld;
  /** The credit last announced, so that registering again keeps it. */
  private int announcedCredit;
  private boolean goodbyeSent;
  private boolean goodbyeAcknowledged;
  private long drainDeadline = Long.MAX_VALUE;

  /**
   * @param context the ZeroMQ context to create the socket in (shared for {@code inproc://})
   */
  public WorkerLoop(WorkerSettings settings, ZContext context, HandlerExecutor executor) {
    this.settings = settings;
    this.context = context;
    this.executor = executor;
    this.wakeup = new WakeupSignal(context);
    this.outbox = new ResultOutbox(settings.workerId(), settings.clock());
    this.connection = new DealerConnection(context, settings.endpoint(), settings.workerId(), settings.curve(), wakeup);
    this.announcedCredit = settings.concurrency();
  }

  /** Asks the loop to drain: GOODBYE, finish held steps, report them, stop. Any thread. */
  public void requestDrain() {
    drainRequested = true;
    wakeup.wake();
  }

  /** Asks the loop to announce a new credit. Any thread. */
  public void requestCredit(int credit) {
    requestedCredit = credit;
    wakeup.wake();
  }

  /** Waits until the orchestrator has welcomed the worker. */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    return registered.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the loop has ended. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The orchestrator's reason when it refused the worker, or {@code null}. */
  public String rejection() {
    return rejection;
  }

  /** Steps received and not yet reported. */
  public int stepsHeld() {
    return stepsHeld;
  }

  @Override
  public void run() {
    try {
      connection.open();
      lastHeardAt = now();
      sendHello();
      while (!finished()) {
        connection.poll(pollTimeout());
        if (connection.woken()) {
          wakeup.clear();
        }
        if (connection.readable()) {
          receiveAll();
        }
        reportOutcomes();
        applyRequests();
        keepSessionAlive();
      }
    } catch (RuntimeException e) {
      log.error("worker {} loop failed", settings.workerId(), e);
    } finally {
      connection.close();
      wakeup.close();
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
    // Leave once the orchestrator has stored every result (it acknowledges after its commit).
    return outbox.unacknowledged() == 0 && (goodbyeAcknowledged || !welcomed);
  }

  private long pollTimeout() {
    long now = now();
    long next = now + MAX_POLL_MS;
    if (welcomed) {
      next = Math.min(next, lastSentAt + heartbeatIntervalMs);
      next = Math.min(next, lastHeardAt + heartbeatIntervalMs * settings.livenessMultiplier());
    } else {
      next = Math.min(next, nextHelloAt);
    }
    next = Math.min(next, drainDeadline);
    return Math.max(1, next - now);
  }

  private void receiveAll() {
    List<byte[]> frames;
    while ((frames = connection.receive()) != null) {
      lastHeardAt = now();
      Message message;
      try {
        Envelope envelope = Frames.parse(frames);
        Frames.requireSentTo(envelope, MessageType.Direction.TO_WORKER);
        message = Frames.decodeBody(envelope, codec);
      } catch (ProtocolException e) {
        log.warn("worker {} refused a message from the orchestrator: {}",
            settings.workerId(), e.getMessage());
        if (!Frames.namesErrorType(frames)) {
          send(ProtocolError.of(e));
        }
        continue;
      }
      handle(message);
    }
  }

  /** Acts on a message; {@link Frames#requireSentTo} has refused the types a worker never gets. */
  private void handle(Message message) {
    if (message instanceof Welcome welcome) {
      onWelcome(welcome);
    } else if (message instanceof StepBatchRequest batch) {
      onBatch(batch);
    } else if (message instanceof Heartbeat) {
      return;
    } else if (message instanceof Ack ack) {
      outbox.acknowledged(ack);
    } else if (message instanceof Goodbye goodbye) {
      onGoodbye(goodbye);
    } else if (message instanceof Reject reject) {
      rejection = reject.reason();
      log.error("orchestrator rejected worker {}: {}", settings.workerId(), reject.reason());
    } else if (message instanceof ProtocolError error) {
      onError(error);
    }
  }

  private void onWelcome(Welcome welcome) {
    if (!settings.encodings().contains(welcome.encoding())) {
      rejection = "the orchestrator chose encoding '" + welcome.encoding() + "', which this worker did not offer "
          + settings.encodings();
      log.error("worker {} cannot join: {}", settings.workerId(), rejection);
      return;
    }
    codec = Encodings.codec(welcome.encoding());
    heartbeatIntervalMs = welcome.heartbeatIntervalMs();
    helloRetryMs = INITIAL_HELLO_RETRY_MS;
    if (!welcomed) {
      log.info(
          "worker {} registered with orchestrator {} (protocol {}, encoding {}, heartbeat {} ms)",
          settings.workerId(),
          welcome.orchestratorId(),
          welcome.protocolVersion(),
          welcome.encoding(),
          welcome.heartbeatIntervalMs());
    }
    welcomed = true;
    hellosOnThisSocket = 0;
    if (announcedCredit == 0 && requestedCredit == null) {
      send(new Credit(0));
    }
    registered.countDown();
    outbox.resendUnacknowledged();
    if (drainRequested && !goodbyeSent) {
      sendGoodbye();
    }
    flushResults();
  }

  private void onBatch(StepBatchRequest batch) {
    if (!outbox.open(batch.batchId(), batch.steps().size())) {
      log.warn("worker {} ignored batch {}: it is already running", settings.workerId(), batch.batchId());
      return;
    }
    stepsHeld += batch.steps().size();
    for (StepExecutionRequest step : batch.steps()) {
      StepContext stepContext =
          StepContext.builder()
              .taskId(step.taskId())
              .stepId(step.stepId())
              .stepName(step.stepName())
              .handlerName(step.handler())
              .taskContext(step.taskContext())
              .previousResults(step.previousResults())
              .handlerConfig(step.handlerConfig())
              .attempt(step.metadata().attempt())
              .maxAttempts(Math.max(step.metadata().attempt(), step.metadata().maxAttempts()))
              .timeout(Duration.ofMillis(step.metadata().timeoutMs()))
              .build();
      var handler = settings.handlers().get(step.handler());
      executor.submit(
          () -> {
            outcomes.add(StepRunner.run(handler, stepContext, batch.batchId(), settings.clock()));
            wakeup.wake();
          });
    }
  }

  private void onGoodbye(Goodbye goodbye) {
    if (drainRequested) {
      goodbyeAcknowledged = true;
    } else {
      log.info("orchestrator ended the session of worker {} ({}); registering again",
          settings.workerId(), goodbye.reason());
      sessionLost();
    }
  }

  private void onError(ProtocolError error) {
    if (error.code() == ErrorCode.NOT_REGISTERED) {
      log.info("orchestrator does not know worker {}; registering again", settings.workerId());
      sessionLost();
    } else {
      log.warn("orchestrator refused a message of worker {}: {} {}",
          settings.workerId(), error.code().wireName(), error.message());
    }
  }

  private void sessionLost() {
    welcomed = false;
    goodbyeSent = false;
    nextHelloAt = now();
  }

  private void reportOutcomes() {
    StepOutcome outcome;
    while ((outcome = outcomes.poll()) != null) {
      stepsHeld--;
      outbox.report(outcome);
    }
    flushResults();
  }

  private void flushResults() {
    if (welcomed && outbox.flush(connection::send, codec)) {
      lastSentAt = now();
    }
  }

  private void applyRequests() {
    Integer credit = requestedCredit;
    if (credit != null && welcomed) {
      requestedCredit = null;
      announcedCredit = credit;
      send(new Credit(credit));
    }
    if (drainRequested && drainDeadline == Long.MAX_VALUE) {
      drainDeadline = now() + settings.drainTimeout().toMillis();
      if (welcomed) {
        sendGoodbye();
      }
    }
  }

  private void sendGoodbye() {
    goodbyeSent = true;
    send(new Goodbye("draining"));
  }

  private void keepSessionAlive() {
    long now = now();
    if (welcomed) {
      if (now - lastHeardAt > heartbeatIntervalMs * settings.livenessMultiplier()) {
        log.warn("worker {} heard nothing from the orchestrator for {} ms; registering again",
            settings.workerId(), now - lastHeardAt);
        sessionLost();
      } else if (now - lastSentAt >= heartbeatIntervalMs) {
        send(new Heartbeat(settings.clock().instant().truncatedTo(ChronoUnit.MILLIS)));
      }
    }
    if (!welcomed && now >= nextHelloAt) {
      sendHello();
    }
  }

  private void sendHello() {
    if (++hellosOnThisSocket > HELLOS_PER_SOCKET) {
      // A connection that never completes its handshake would never deliver; a new socket (and
      // TCP connection) is the cure, as in ZeroMQ's "lazy pirate" pattern.
      log.debug("worker {} reopens its socket after {} unanswered HELLOs",
          settings.workerId(), HELLOS_PER_SOCKET);
      connection.reopen();
      hellosOnThisSocket = 1;
    }
    List<String> handlers = new ArrayList<>(settings.handlers().keySet());
    handlers.sort(null);
    send(
        new Hello(
            settings.workerId(),
            WorkerSettings.LANGUAGE,
            WorkerSettings.SDK_VERSION,
            ProtocolVersion.SUPPORTED,
            handlers,
            // HELLO's concurrency is at least 1; a credit of 0 is announced again after the WELCOME.
            Math.max(1, requestedCredit != null ? requestedCredit : announcedCredit),
            settings.encodings(),
            outbox.heldBatches()));
    nextHelloAt = now() + helloRetryMs;
    helloRetryMs = Math.min(helloRetryMs * 2, settings.helloRetryMax().toMillis());
  }

  private void send(Message message) {
    if (connection.send(Frames.encode(message, codec))) {
      lastSentAt = now();
    } else {
      log.debug("worker {} could not send {} now", settings.workerId(), message.type());
    }
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
