package dev.tasker.cli.chaos;

import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A fault-injecting proxy between workers and an orchestrator, for chaos tests. It binds a ROUTER
 * socket on the frontend endpoint, where workers connect their DEALER, and opens one DEALER per
 * worker to the backend endpoint (the orchestrator's ROUTER) with the worker's own routing
 * identity, so the orchestrator sees one peer per worker. Replies go back to the worker they were
 * addressed to.
 *
 * <p>Faults (see {@link FaultSettings}) touch only worker-to-orchestrator {@code PARTIAL_RESULT}
 * messages, and {@code BATCH_COMPLETION} when {@link FaultSettings#faultBatchCompletions()} is set.
 * Everything else passes through unchanged and in order, so faulted messages can be overtaken by
 * other types. Messages are forwarded as frames, never decoded, so malformed ones pass too.
 *
 * <p>Lifecycle: NEW, then RUNNING after {@link #start()}, then STOPPED after {@link #close()}, which
 * returns within 2 seconds; held and delayed messages are discarded. One thread owns every socket;
 * the counters may be read from any thread.
 */
public final class FaultProxy implements AutoCloseable {

  /** The longest a reordered message waits for the message that should overtake it, in milliseconds. */
  public static final long MAX_HOLD_MS = 200;

  private static final long CLOSE_TIMEOUT_MS = 2000;
  private static final long IDLE_POLL_MS = 1000;
  private static final int FORWARDED = 0;
  private static final int DUPLICATED = 1;
  private static final int REORDERED = 2;
  private static final int DROPPED = 3;
  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);

  /**
   * A snapshot of counters. {@code forwarded} counts every copy sent, in both directions (a
   * duplicated message counts twice); {@code duplicated} counts extra copies; {@code reordered}
   * counts messages held back so a later one could overtake them; {@code dropped} counts messages
   * dropped on purpose.
   */
  public record Counts(long forwarded, long duplicated, long reordered, long dropped) {}

  private record Worker(byte[] identity, ZMQ.Socket backend) {}

  /** A message to send to the orchestrator at {@code dueNanos} (a {@link System#nanoTime()}). */
  private record Pending(Worker worker, List<byte[]> frames, long dueNanos) {}

  private final FaultSettings settings;
  private final ZContext context;
  private final boolean ownsContext;
  private final SplittableRandom random;
  private final WakeupSignal wakeup;
  private final Map<String, AtomicLongArray> counts = new ConcurrentHashMap<>();
  private final Map<ByteBuffer, Worker> workers = new LinkedHashMap<>();
  private final Map<Worker, Pending> held = new LinkedHashMap<>();
  private final ArrayDeque<Pending> delayed = new ArrayDeque<>();

  private volatile boolean stopRequested;
  private volatile String boundFrontend;
  private ZMQ.Socket frontend;
  private Thread thread;
  private boolean closed;
  private boolean pollerStale;

  /** A proxy with its own {@link ZContext}, closed by {@link #close()}. Call {@link #start()} next. */
  public FaultProxy(FaultSettings settings) {
    this(settings, new ZContext(), true);
  }

  /** A proxy whose sockets live in the caller's {@code context}, which {@link #close()} leaves open. */
  public FaultProxy(FaultSettings settings, ZContext context) {
    this(settings, Objects.requireNonNull(context, "context"), false);
  }

  private FaultProxy(FaultSettings settings, ZContext context, boolean ownsContext) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.context = context;
    this.ownsContext = ownsContext;
    this.wakeup = new WakeupSignal(context);
    this.random = new SplittableRandom(settings.seed());
  }

  /**
   * Binds the frontend and starts the proxy thread.
   *
   * @throws IllegalStateException when already started or closed
   * @throws ZMQException when the frontend endpoint cannot be bound
   */
  public synchronized void start() {
    if (thread != null || closed) {
      throw new IllegalStateException("a FaultProxy starts once, before close()");
    }
    frontend = context.createSocket(SocketType.ROUTER);
    frontend.setRouterMandatory(true);
    frontend.setRouterHandover(true);
    frontend.setLinger(0);
    // No send limit: the proxy itself must never be the one that loses a message.
    frontend.setSndHWM(0);
    String endpoint = settings.frontendEndpoint();
    try {
      if (endpoint.startsWith("tcp://") && (endpoint.endsWith(":0") || endpoint.endsWith(":*"))) {
        String prefix = endpoint.substring(0, endpoint.lastIndexOf(':'));
        boundFrontend = prefix + ":" + frontend.bindToRandomPort(prefix);
      } else {
        frontend.bind(endpoint);
        boundFrontend = endpoint;
      }
    } catch (RuntimeException e) {
      frontend.close();
      throw e;
    }
    thread = new Thread(this::run, "tasker-fault-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The endpoint workers should connect to, with the real port.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public String frontendEndpoint() {
    String endpoint = boundFrontend;
    if (endpoint == null) {
      throw new IllegalStateException("the FaultProxy is not started");
    }
    return endpoint;
  }

  /** Totals over all message types. Thread-safe. */
  public Counts counts() {
    long[] sum = new long[4];
    for (AtomicLongArray perType : counts.values()) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += perType.get(i);
      }
    }
    return new Counts(sum[FORWARDED], sum[DUPLICATED], sum[REORDERED], sum[DROPPED]);
  }

  /** Counters of one message type (its wire name, e.g. {@code PARTIAL_RESULT}). Thread-safe. */
  public Counts counts(String messageType) {
    AtomicLongArray c = counts.getOrDefault(messageType, new AtomicLongArray(4));
    return new Counts(c.get(FORWARDED), c.get(DUPLICATED), c.get(REORDERED), c.get(DROPPED));
  }

  /**
   * Stops the thread and closes the sockets (and the context, when the proxy made it), within 2
   * seconds. Held and delayed messages are discarded. Idempotent.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = thread;
    }
    stopRequested = true;
    if (running != null) {
      wakeup.wake();
      try {
        running.join(CLOSE_TIMEOUT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        // Closing sockets under a live thread would be worse than leaking them.
        log.warn("fault proxy thread did not stop within {} ms; leaving its sockets open", CLOSE_TIMEOUT_MS);
        return;
      }
    }
    wakeup.close();
    if (ownsContext) {
      context.close();
    }
  }

  private void run() {
    ZMQ.Poller poller = null;
    List<Worker> polled = List.of();
    try {
      while (!stopRequested) {
        if (poller == null) {
          polled = List.copyOf(workers.values());
          poller = context.createPoller(polled.size() + 2);
          poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
          poller.register(frontend, ZMQ.Poller.POLLIN);
          for (Worker worker : polled) {
            poller.register(worker.backend(), ZMQ.Poller.POLLIN);
          }
        }
        poller.poll(pollTimeoutMs());
        if (poller.pollin(0)) {
          wakeup.clear();
        }
        if (poller.pollin(1)) {
          receiveFromWorkers();
        }
        for (int i = 0; i < polled.size(); i++) {
          if (poller.pollin(i + 2)) {
            receiveFromOrchestrator(polled.get(i));
          }
        }
        releaseDue();
        if (pollerStale) {
          poller.close();
          poller = null;
          pollerStale = false;
        }
      }
    } catch (RuntimeException e) {
      log.error("fault proxy failed", e);
    } finally {
      if (poller != null) {
        poller.close();
      }
      workers.values().forEach(worker -> worker.backend().close());
      frontend.close();
    }
  }

  private long pollTimeoutMs() {
    long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS);
    for (Pending pending : held.values()) {
      next = Math.min(next, pending.dueNanos());
    }
    if (!delayed.isEmpty()) {
      next = Math.min(next, delayed.peekFirst().dueNanos());
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime() + 999_999));
  }

  private void receiveFromWorkers() {
    List<byte[]> frames;
    while ((frames = MultipartSocket.receive(frontend)) != null) {
      Worker worker = workerFor(frames.get(0));
      List<byte[]> message = List.copyOf(frames.subList(1, frames.size()));
      if (isEligible(message)) {
        applyFaults(worker, message);
      } else {
        toOrchestrator(worker, message);
      }
    }
  }

  private Worker workerFor(byte[] identity) {
    return workers.computeIfAbsent(ByteBuffer.wrap(identity), key -> {
      ZMQ.Socket backend = context.createSocket(SocketType.DEALER);
      backend.setIdentity(identity);
      backend.setLinger(0);
      backend.setSndHWM(0);
      backend.setReconnectIVL(100);
      backend.setReconnectIVLMax(5000);
      backend.connect(settings.backendEndpoint());
      pollerStale = true;
      log.info("fault proxy: new worker {}", HexFormat.of().formatHex(identity));
      return new Worker(identity, backend);
    });
  }

  private boolean isEligible(List<byte[]> message) {
    if (message.size() != 3) {
      return false;
    }
    String type = typeOf(message);
    return type.equals(MessageType.PARTIAL_RESULT.wireName())
        || (settings.faultBatchCompletions() && type.equals(MessageType.BATCH_COMPLETION.wireName()));
  }

  private void applyFaults(Worker worker, List<byte[]> message) {
    if (chance(settings.dropProbability())) {
      count(message, DROPPED);
      return;
    }
    if (!held.containsKey(worker) && chance(settings.reorderProbability())) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_HOLD_MS);
      held.put(worker, new Pending(worker, message, until));
      count(message, REORDERED);
      return;
    }
    sendEligible(worker, message);
    Pending overtaken = held.remove(worker);
    if (overtaken != null) {
      sendEligible(worker, overtaken.frames());
    }
  }

  private void sendEligible(Worker worker, List<byte[]> message) {
    int copies = 1;
    if (chance(settings.duplicateProbability())) {
      copies = 2;
      count(message, DUPLICATED);
    }
    for (int i = 0; i < copies; i++) {
      if (settings.delayMs() == 0) {
        toOrchestrator(worker, message);
      } else {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.delayMs());
        delayed.addLast(new Pending(worker, message, due));
      }
    }
  }

  private void releaseDue() {
    long now = System.nanoTime();
    for (var it = held.values().iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (now - pending.dueNanos() >= 0) {
        it.remove();
        sendEligible(pending.worker(), pending.frames());
      }
    }
    // The delay is fixed, so the queue is in due order.
    while (!delayed.isEmpty() && now - delayed.peekFirst().dueNanos() >= 0) {
      Pending next = delayed.removeFirst();
      toOrchestrator(next.worker(), next.frames());
    }
  }

  private void toOrchestrator(Worker worker, List<byte[]> message) {
    if (MultipartSocket.send(worker.backend(), null, message)) {
      count(message, FORWARDED);
    } else {
      log.warn("fault proxy: could not forward {} to the orchestrator", typeOf(message));
    }
  }

  private void receiveFromOrchestrator(Worker worker) {
    List<byte[]> message;
    while ((message = MultipartSocket.receive(worker.backend())) != null) {
      try {
        if (MultipartSocket.send(frontend, worker.identity(), message)) {
          count(message, FORWARDED);
          continue;
        }
      } catch (ZMQException e) {
        // ROUTER_MANDATORY: the worker is not connected (any more).
      }
      log.warn("fault proxy: could not forward {} to worker {}", typeOf(message),
          HexFormat.of().formatHex(worker.identity()));
    }
  }

  private boolean chance(double probability) {
    return probability > 0 && random.nextDouble() < probability;
  }

  private void count(List<byte[]> message, int counter) {
    counts.computeIfAbsent(typeOf(message), type -> new AtomicLongArray(4)).incrementAndGet(counter);
  }

  private static String typeOf(List<byte[]> message) {
    return message.size() >= 2 ? new String(message.get(1), StandardCharsets.US_ASCII) : "";
  }
}
