package dev.tasker.cli.conformance;

import dev.tasker.examples.conformance.ConformanceHandlers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Envelope;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.ProtobufCodec;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.ProtocolException;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.UnsupportedVersionException;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import sun.misc.Signal;

/**
 * A single-process protocol worker written directly on a DEALER socket and the protocol module's
 * codecs, serving the conformance handlers, that can be told to break one behaviour ({@link Fault}).
 * It exists to show that the conformance kit catches broken workers: with {@code --fault none} it
 * passes every scenario, with any other fault the scenario that checks that behaviour fails.
 *
 * <p>Run as {@code java -cp <test classpath> dev.tasker.cli.conformance.FaultyWorker --fault <name>}
 * with the orchestrator's endpoint in {@code TASKER_ENDPOINT}; {@code --encodings json} makes it
 * offer only JSON (default: JSON and protobuf). The main thread owns the socket;
 * steps run on a pool and hand their outcomes back through a queue.
 */
public final class FaultyWorker {

  private static final int CONCURRENCY = 4;
  private static final long INITIAL_HEARTBEAT_MS = 1000;
  // The socket queues the first HELLO until it is connected, so a retry is only for a lost
  // connection; a short first retry could reach the kit after its WELCOME, as a second registration.
  private static final long FIRST_HELLO_RETRY_MS = 1000;
  private static final long MAX_HELLO_RETRY_MS = 4000;
  private static final int HELLOS_PER_SOCKET = 3;
  // The protocol asks for a new HELLO after 3 silent intervals; 5 keeps a worker on a loaded 2-core
  // machine from registering again because the orchestrator's thread was descheduled for a moment.
  private static final int LIVENESS_INTERVALS = 5;
  private static final long DRAIN_TIMEOUT_MS = 20_000;
  private static final long MAX_POLL_MS = 20;
  private static final int CLOSE_LINGER_MS = 1000;
  private static final int EXIT_USAGE = 64;
  private static final int EXIT_REJECTED = 2;
  private static final int EXIT_DRAIN_TIMEOUT = 3;
  private static final int EXIT_CRASHED = 70;

  private final Fault fault;
  private final List<String> encodings;
  private final String endpoint;
  private final String workerId = UUID.randomUUID().toString();
  private final StepExecution steps;
  private final ExecutorService executor;
  private final ConcurrentLinkedQueue<HeldResults.Outcome> ended = new ConcurrentLinkedQueue<>();
  private final ZContext context = new ZContext();
  private final WakeupSignal wakeup = new WakeupSignal(context);
  private final HeldResults results;
  private volatile boolean drainRequested;

  private ZMQ.Socket socket;
  private ZMQ.Poller poller;
  private MessageCodec codec = JsonCodec.instance();
  private boolean welcomed;
  private boolean registering = true;
  private long heartbeatMs = INITIAL_HEARTBEAT_MS;
  private long lastHeardAt;
  private long lastSentAt;
  private long nextHelloAt;
  private long helloRetryMs = FIRST_HELLO_RETRY_MS;
  private int hellosOnSocket;
  private int stepsHeld;
  private boolean goodbyeSent;
  private boolean goodbyeAnswered;
  private long drainDeadline = Long.MAX_VALUE;
  private Integer exitStatus;

  private FaultyWorker(Fault fault, List<String> encodings, String endpoint) {
    this.fault = fault;
    this.encodings = encodings;
    this.endpoint = endpoint;
    this.steps = new StepExecution(fault, ConformanceHandlers.all());
    this.results = new HeldResults(workerId, fault);
    this.executor = steps.newExecutor(CONCURRENCY);
  }

  /** Runs the worker until it is rejected or has drained after SIGTERM, and exits with its status. */
  public static void main(String[] args) {
    Fault fault = Fault.NONE;
    List<String> encodings = List.of(JsonCodec.ENCODING, ProtobufCodec.ENCODING);
    try {
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--fault") && i + 1 < args.length) {
          fault = Fault.fromCliName(args[++i]);
        } else if (args[i].equals("--encodings") && i + 1 < args.length) {
          encodings = List.of(args[++i].split(","));
        } else {
          throw new IllegalArgumentException(
              "unknown argument '" + args[i] + "'; usage: --fault <name> [--encodings json,protobuf]");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("faulty-worker: " + e.getMessage());
      System.exit(EXIT_USAGE);
    }
    String endpoint = System.getenv("TASKER_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      System.err.println("faulty-worker: TASKER_ENDPOINT is not set");
      System.exit(EXIT_USAGE);
    }
    FaultyWorker worker = new FaultyWorker(fault, encodings, endpoint);
    int status;
    try {
      status = worker.run();
    } catch (RuntimeException e) {
      e.printStackTrace(System.out);
      status = EXIT_CRASHED;
    }
    worker.log("exits with status " + status);
    System.exit(status);
  }

  private int run() {
    onSigterm();
    warmUpCodecs();
    open();
    log("fault " + fault.cliName() + ", worker " + workerId + ", endpoint " + endpoint);
    lastHeardAt = now();
    try {
      while (exitStatus == null) {
        poller.poll(MAX_POLL_MS);
        wakeup.clear();
        receiveAll();
        if (exitStatus != null) {
          break;
        }
        reportEnded();
        drain();
        keepSessionAlive();
      }
      return exitStatus;
    } finally {
      // Give what was just sent (the last results, a GOODBYE) a moment to leave.
      socket.setLinger(CLOSE_LINGER_MS);
      closeSocket();
      wakeup.close();
      context.close();
      executor.shutdownNow();
    }
  }

  private void onSigterm() {
    Signal.handle(new Signal("TERM"), signal -> {
      if (fault == Fault.NO_DRAIN) {
        Runtime.getRuntime().halt(0);
      }
      drainRequested = true;
      wakeup.wake();
    });
  }

  // The first decode of each kind loads many classes; done before HELLO, so that the WELCOME is
  // answered at once rather than after a pause the orchestrator might take for a dead worker.
  private static void warmUpCodecs() {
    List<Message> samples = List.of(
        new Welcome("w", "o", ProtocolVersion.CURRENT, JsonCodec.ENCODING, 1000),
        new Heartbeat(Instant.now()),
        new Ack(List.of(), List.of(UUID.randomUUID())));
    for (MessageCodec sessionCodec : List.of(JsonCodec.instance(), ProtobufCodec.instance())) {
      samples.forEach(sample -> Frames.decode(Frames.encode(sample, sessionCodec), sessionCodec));
    }
  }

  private void open() {
    socket = context.createSocket(SocketType.DEALER);
    socket.setIdentity(workerId.getBytes(StandardCharsets.UTF_8));
    socket.setLinger(0);
    socket.setReconnectIVL(100);
    socket.setReconnectIVLMax(5000);
    socket.connect(endpoint);
    poller = context.createPoller(2);
    poller.register(socket, ZMQ.Poller.POLLIN);
    poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
  }

  private void closeSocket() {
    poller.close();
    socket.close();
  }

  private void receiveAll() {
    List<byte[]> frames;
    while (exitStatus == null && (frames = MultipartSocket.receive(socket)) != null) {
      lastHeardAt = now();
      Message message;
      try {
        Envelope envelope = Frames.parse(frames);
        message = Frames.decodeBody(envelope, codec);
      } catch (UnsupportedVersionException e) {
        log("refused: " + e.getMessage());
        if (fault != Fault.IGNORE_BAD_VERSION && !Frames.namesErrorType(frames)) {
          send(ProtocolError.of(e));
        }
        continue;
      } catch (ProtocolException e) {
        log("refused: " + e.getMessage());
        if (!Frames.namesErrorType(frames)) {
          send(ProtocolError.of(e));
        }
        continue;
      }
      if (message.type().direction() == MessageType.Direction.TO_ORCHESTRATOR) {
        send(new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, message.type().wireName() + " is never sent to a worker",
            message.type().wireName(), null));
        continue;
      }
      handle(message);
    }
  }

  private void handle(Message message) {
    if (message instanceof Welcome welcome) {
      onWelcome(welcome);
    } else if (message instanceof Reject reject) {
      log("rejected: " + reject.reason());
      exitStatus = fault == Fault.EXIT_ZERO_ON_REJECT ? 0 : EXIT_REJECTED;
    } else if (message instanceof StepBatchRequest batch) {
      onBatch(batch);
    } else if (message instanceof Ack ack) {
      results.acknowledged(ack);
    } else if (message instanceof Goodbye goodbye) {
      onGoodbye(goodbye);
    } else if (message instanceof ProtocolError error) {
      onError(error);
    }
  }

  private void onWelcome(Welcome welcome) {
    if (!encodings.contains(welcome.encoding())) {
      log("the orchestrator chose encoding " + welcome.encoding() + ", which was not offered");
      exitStatus = EXIT_REJECTED;
      return;
    }
    codec = Encodings.codec(welcome.encoding());
    heartbeatMs = welcome.heartbeatIntervalMs();
    log("welcomed (" + welcome.encoding() + ", heartbeat " + heartbeatMs + " ms)");
    welcomed = true;
    hellosOnSocket = 0;
    helloRetryMs = FIRST_HELLO_RETRY_MS;
    if (fault != Fault.NO_RESEND) {
      results.resendUnacknowledged();
    }
    if (drainRequested && !goodbyeSent) {
      sendGoodbye();
    }
    flushResults();
  }

  private void onBatch(StepBatchRequest batch) {
    if (goodbyeSent && fault == Fault.DRAIN_DROPS_NEW_BATCHES) {
      log("draining: drops batch " + batch.batchId());
      return;
    }
    if (!results.open(batch.batchId(), batch.steps().size())) {
      log("batch " + batch.batchId() + " is already running");
      return;
    }
    stepsHeld += batch.steps().size();
    for (StepExecutionRequest step : batch.steps()) {
      executor.execute(() -> {
        ended.add(steps.run(batch.batchId(), step));
        wakeup.wake();
      });
    }
  }

  private void onGoodbye(Goodbye goodbye) {
    if (drainRequested) {
      goodbyeAnswered = true;
      return;
    }
    log("the orchestrator said GOODBYE (" + goodbye.reason() + ")");
    sessionLost();
    if (fault == Fault.NO_REREGISTER_AFTER_GOODBYE) {
      registering = false;
    } else if (fault == Fault.FORGET_AFTER_GOODBYE) {
      results.forgetAll();
    }
  }

  private void onError(ProtocolError error) {
    log("the orchestrator sent ERROR " + error.code().wireName() + ": " + error.message());
    if (error.code() == ErrorCode.NOT_REGISTERED) {
      sessionLost();
    } else if (fault == Fault.ANSWER_ERROR_WITH_ERROR) {
      send(new ProtocolError(ErrorCode.INTERNAL, "cannot handle ERROR " + error.code().wireName(),
          MessageType.ERROR.wireName(), null));
    }
  }

  private void sessionLost() {
    welcomed = false;
    goodbyeSent = false;
    nextHelloAt = now();
  }

  private void reportEnded() {
    HeldResults.Outcome outcome;
    while ((outcome = ended.poll()) != null) {
      stepsHeld--;
      results.report(outcome);
    }
    flushResults();
  }

  private void flushResults() {
    if (welcomed) {
      results.flush(this::trySend);
    }
  }

  private void drain() {
    if (!drainRequested) {
      return;
    }
    if (drainDeadline == Long.MAX_VALUE) {
      log("SIGTERM: draining " + stepsHeld + " held steps");
      drainDeadline = now() + DRAIN_TIMEOUT_MS;
      if (welcomed) {
        sendGoodbye();
      }
    }
    boolean reported = stepsHeld == 0 && results.pending() == 0;
    boolean stored = results.unacknowledged() == 0 && (goodbyeAnswered || !welcomed);
    if (reported && (stored || fault == Fault.DRAIN_WITHOUT_WAITING)) {
      exitStatus = fault == Fault.EXIT_NONZERO_AFTER_DRAIN ? 1 : 0;
    } else if (now() >= drainDeadline) {
      log("drain timed out with " + stepsHeld + " steps running and " + results.unacknowledged()
          + " results unacknowledged");
      exitStatus = EXIT_DRAIN_TIMEOUT;
    }
  }

  private void sendGoodbye() {
    goodbyeSent = true;
    send(new Goodbye("draining"));
  }

  private void keepSessionAlive() {
    long now = now();
    if (welcomed) {
      if (fault != Fault.NO_LIVENESS_CHECK && now - lastHeardAt > LIVENESS_INTERVALS * heartbeatMs) {
        log("heard nothing for " + (now - lastHeardAt) + " ms; registering again");
        sessionLost();
      } else if (fault != Fault.NO_HEARTBEAT && now - lastSentAt >= heartbeatMs) {
        send(new Heartbeat(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
      }
    }
    if (!welcomed && registering && now >= nextHelloAt) {
      sendHello();
    }
  }

  private void sendHello() {
    if (++hellosOnSocket > HELLOS_PER_SOCKET) {
      // A connection whose handshake never completes would never deliver: connect a new one.
      log(HELLOS_PER_SOCKET + " HELLOs unanswered; reconnecting");
      closeSocket();
      open();
      hellosOnSocket = 1;
    }
    List<String> handlers = new ArrayList<>(steps.handlerNames());
    handlers.sort(null);
    List<UUID> held = fault == Fault.FORGET_AFTER_GOODBYE ? null : results.heldBatches();
    send(new Hello(workerId, "java", "faulty-worker", ProtocolVersion.SUPPORTED, handlers, CONCURRENCY,
        encodings, held));
    nextHelloAt = now() + helloRetryMs;
    helloRetryMs = Math.min(helloRetryMs * 2, MAX_HELLO_RETRY_MS);
  }

  private void send(Message message) {
    if (!trySend(message)) {
      log("could not send " + message.type().wireName() + " now");
    }
  }

  private boolean trySend(Message message) {
    boolean sent = MultipartSocket.send(socket, null, frames(message));
    if (sent) {
      lastSentAt = now();
    }
    return sent;
  }

  private List<byte[]> frames(Message message) {
    List<byte[]> frames = Frames.encode(message, codec);
    if (fault != Fault.COMPLETED_AT_PER_SUMMARY || !(message instanceof BatchCompletion)
        || !codec.encoding().equals(JsonCodec.ENCODING)) {
      return frames;
    }
    ObjectNode body = (ObjectNode) JsonCodec.instance().toTree(message);
    JsonNode completedAt = body.remove("completed_at");
    body.withArray("step_summaries").forEach(summary -> ((ObjectNode) summary).set("completed_at", completedAt));
    return List.of(frames.get(0), frames.get(1), body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void log(String line) {
    System.out.println(Instant.now() + " faulty-worker[" + fault.cliName() + "] " + line);
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
