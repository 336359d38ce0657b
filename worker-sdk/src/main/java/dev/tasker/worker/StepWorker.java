package dev.tasker.worker;

import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.worker.internal.HandlerExecutor;
import dev.tasker.worker.internal.WorkerLoop;
import dev.tasker.worker.internal.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.zeromq.ZContext;

/**
 * Serves {@link StepHandler}s to one or more orchestrators over ZeroMQ. It connects a DEALER socket
 * to each orchestrator's endpoint, registers with HELLO (its handler names and its share of the
 * concurrency as credit), runs each batch's steps concurrently, sends a partial result as each step
 * ends and a batch completion when the batch ends, heartbeats, and registers again if an
 * orchestrator restarts.
 *
 * <h2>Several orchestrators</h2>
 *
 * Given several endpoints ({@link Builder#endpoints(List)}), the worker keeps one session per
 * orchestrator, all with the same worker id, and also opens one with each live orchestrator a
 * WELCOME names (unless {@link Builder#discover(boolean) discover(false)}). Its credit is split
 * among the welcomed orchestrators: {@code concurrency / n} each, the remainder to the first (a
 * share may be 0 when the concurrency is smaller than the number of orchestrators), and moved with
 * CREDIT messages as orchestrators come and go; at most {@code concurrency} handlers run at once
 * whatever the orchestrators send. A batch's results go back on the session it came from; when that
 * orchestrator is lost (silent for the liveness window, or shut down) they go, in order, to another
 * welcomed one, which applies them as well (results are checked against the database, once).
 *
 * <h2>Lifecycle</h2>
 *
 * {@code NEW -> RUNNING -> DRAINING -> STOPPED}. {@link #start()} returns at once; registration
 * happens in the background ({@link #awaitRegistered(Duration)} waits for it). {@link #close()}
 * drains: it sends GOODBYE so no new work arrives, lets running steps finish and report, then
 * disconnects, waiting at most the drain timeout. Running handlers are interrupted only if they are
 * still running when the drain timeout has passed.
 *
 * <h2>Threads</h2>
 *
 * One platform thread owns the socket. Handlers run on virtual threads on Java 21+ (unless {@link
 * Builder#preferVirtualThreads(boolean)} says otherwise), or on a pool of {@code concurrency}
 * platform threads on Java 17; at most {@code concurrency} handlers run at once either way. The
 * public methods are thread-safe.
 */
public final class StepWorker implements AutoCloseable {

  /** Lifecycle states. */
  public enum State {
    /** Built, not started. */
    NEW,
    /** Serving steps. */
    RUNNING,
    /** Finishing held steps; taking no new ones. */
    DRAINING,
    /** Disconnected; nothing runs. */
    STOPPED
  }

  /** Default concurrency: how many steps a worker runs at once. */
  public static final int DEFAULT_CONCURRENCY = 16;

  /** Default time {@link #close()} waits for held steps to finish and report. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /** Default longest wait between registration attempts while no orchestrator answers. */
  public static final Duration DEFAULT_HELLO_RETRY_MAX = Duration.ofSeconds(5);

  /** Default number of heartbeat intervals of silence after which the orchestrator counts as gone. */
  public static final int DEFAULT_LIVENESS_MULTIPLIER = 3;

  private final WorkerSettings settings;
  private final ZContext context;
  private final boolean ownsContext;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private HandlerExecutor executor;
  private WorkerLoop loop;
  private Thread loopThread;

  /**
   * How many orchestrators have welcomed this worker at the moment; 0 before {@link #start()}.
   * Thread-safe.
   */
  public int registeredOrchestrators() {
    WorkerLoop current;
    synchronized (this) {
      current = loop;
    }
    return current == null ? 0 : current.welcomedSessions();
  }

  private StepWorker(WorkerSettings settings, ZContext context, boolean ownsContext) {
    this.settings = settings;
    this.context = context;
    this.ownsContext = ownsContext;
  }

  /** A builder; an endpoint ({@link Builder#endpoint(String)} or {@link Builder#endpoints(List)}) and at least one handler are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects and starts serving. Returns at once.
   *
   * @throws IllegalStateException when the worker was already started
   */
  public synchronized StepWorker start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("worker " + settings.workerId() + " is " + state.get());
    }
    executor =
        HandlerExecutor.create(
            settings.concurrency(), settings.preferVirtualThreads(), "tasker-step-");
    loop = new WorkerLoop(settings, context, executor);
    loopThread = new Thread(loop, "tasker-worker-" + settings.workerId());
    loopThread.start();
    return this;
  }

  /**
   * Waits until the orchestrator has accepted this worker.
   *
   * @return {@code false} when {@code timeout} passed first
   * @throws StepWorkerException when the orchestrator refused the worker
   */
  public boolean awaitRegistered(Duration timeout) throws InterruptedException {
    WorkerLoop current = requireStarted();
    boolean registered = current.awaitRegistered(timeout);
    if (current.rejection() != null) {
      throw new WorkerRejectedException(settings.workerId(), current.rejection());
    }
    return registered;
  }

  /**
   * Waits until the worker has stopped serving: after {@link #close()} has drained it, or by itself
   * when the orchestrator refused it.
   *
   * @return {@code false} when {@code timeout} passed first
   * @throws WorkerRejectedException when the orchestrator refused the worker
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    WorkerLoop current = requireStarted();
    boolean stopped = current.awaitStopped(timeout);
    if (current.rejection() != null) {
      throw new WorkerRejectedException(settings.workerId(), current.rejection());
    }
    return stopped;
  }

  /**
   * Announces a new credit: the orchestrator will hold at most {@code credit} steps at this worker
   * from now on (0 pauses it). Does not change how many handlers run at once.
   */
  public void setCredit(int credit) {
    if (credit < 0) {
      throw new IllegalArgumentException("credit must be >= 0 but was " + credit);
    }
    requireStarted().requestCredit(credit);
  }

  /** This worker's id, as sent in HELLO. */
  public String workerId() {
    return settings.workerId();
  }

  /** The current lifecycle state. */
  public State state() {
    return state.get();
  }

  /** Whether handlers run on virtual threads; {@code false} before {@link #start()}. */
  public boolean usesVirtualThreads() {
    return executor != null && executor.usesVirtualThreads();
  }

  /** Drains and stops; see the class description. Idempotent. */
  @Override
  public void close() {
    State previous = state.getAndUpdate(s -> s == State.RUNNING ? State.DRAINING : s);
    if (previous == State.NEW) {
      state.set(State.STOPPED);
      closeContext();
      return;
    }
    if (previous != State.RUNNING) {
      return;
    }
    loop.requestDrain();
    try {
      long waitMs = settings.drainTimeout().toMillis() + 2000;
      if (!loop.awaitStopped(Duration.ofMillis(waitMs))) {
        loopThread.interrupt();
      }
      if (!executor.shutdown(1000)) {
        executor.shutdownNow();
      }
      loopThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    } finally {
      closeContext();
      state.set(State.STOPPED);
    }
  }

  private void closeContext() {
    if (ownsContext) {
      context.close();
    }
  }

  private synchronized WorkerLoop requireStarted() {
    if (loop == null) {
      throw new IllegalStateException("worker " + settings.workerId() + " is not started");
    }
    return loop;
  }

  /** Builds a {@link StepWorker}. Not thread-safe. */
  public static final class Builder {
    private List<String> endpoints = List.of();
    private boolean discover = true;
    private String workerId;
    private final Map<String, StepHandler> handlers = new LinkedHashMap<>();
    private int concurrency = DEFAULT_CONCURRENCY;
    private boolean preferVirtualThreads = true;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private Duration helloRetryMax = DEFAULT_HELLO_RETRY_MAX;
    private int livenessMultiplier = DEFAULT_LIVENESS_MULTIPLIER;
    private Clock clock = Clock.systemUTC();
    private ZContext context;
    private List<String> encodings = Encodings.SUPPORTED;
    private String curveServerKey;
    private CurveKeyPair curveKeyPair;

    private Builder() {}

    /**
     * The orchestrator's endpoint, for example {@code tcp://127.0.0.1:5555}; the same as {@code
     * endpoints(List.of(endpoint))}. This or {@link #endpoints(List)} is required.
     */
    public Builder endpoint(String endpoint) {
      this.endpoints = endpoint == null ? List.of() : Collections.singletonList(endpoint);
      return this;
    }

    /**
     * The endpoints of the orchestrators to serve, one session each (the orchestrators may share a
     * database). Listing one orchestrator twice by different addresses is harmless: the second
     * session is closed once its WELCOME names the same orchestrator. Replaces {@link
     * #endpoint(String)}.
     */
    public Builder endpoints(List<String> endpoints) {
      this.endpoints = new ArrayList<>(Objects.requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /**
     * Whether to open a session with every live orchestrator a WELCOME names, besides the given
     * endpoints; default {@code true}. With {@code false} the worker serves only the given
     * endpoints.
     */
    public Builder discover(boolean discover) {
      this.discover = discover;
      return this;
    }

    /** The worker's id; default a new UUIDv7. Must be unique among connected workers. */
    public Builder workerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    /** Serves {@code handler} under {@code name} (the template's {@code handler.callable}). */
    public Builder handler(String name, StepHandler handler) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(name, handler) != null) {
        throw new IllegalArgumentException("handler '" + name + "' is registered twice");
      }
      return this;
    }

    /** Serves every handler of {@code handlersByName}. */
    public Builder handlers(Map<String, ? extends StepHandler> handlersByName) {
      handlersByName.forEach(this::handler);
      return this;
    }

    /** How many steps the worker runs and holds at once; default {@value #DEFAULT_CONCURRENCY}. */
    public Builder concurrency(int concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    /** Whether to run handlers on virtual threads when the JVM has them; default {@code true}. */
    public Builder preferVirtualThreads(boolean preferVirtualThreads) {
      this.preferVirtualThreads = preferVirtualThreads;
      return this;
    }

    /** How long {@link StepWorker#close()} waits for held steps; default 30 s. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** Longest pause between registration attempts; default 5 s. */
    public Builder helloRetryMax(Duration helloRetryMax) {
      this.helloRetryMax = helloRetryMax;
      return this;
    }

    /** Heartbeat intervals of silence before the orchestrator counts as gone; default 3. */
    public Builder livenessMultiplier(int livenessMultiplier) {
      this.livenessMultiplier = livenessMultiplier;
      return this;
    }

    /**
     * Body encodings to offer the orchestrator, most preferred first: {@code json} and/or {@code
     * protobuf}; default both, JSON first. The orchestrator picks one for the session.
     */
    public Builder encodings(String... encodings) {
      this.encodings = List.of(encodings);
      return this;
    }

    /**
     * Connects with CURVE encryption and authentication to an orchestrator whose public key is
     * {@code serverPublicKey} (40 characters of Z85, its {@code .pub} file from {@code tasker keys
     * generate}). Requires {@link #curveKeyPair}. Default: no CURVE, for an orchestrator without
     * {@code curve_secret_key_file}. A wrong server key, or a key pair the orchestrator does not
     * list, fails the handshake: the worker then never registers, and keeps trying with a new
     * connection every few HELLOs (so a key authorized later is picked up).
     *
     * @throws IllegalArgumentException when the key is not 40 characters of Z85 (never showing it)
     */
    public Builder curveServerKey(String serverPublicKey) {
      CurveKeys.decode("curveServerKey", serverPublicKey);
      this.curveServerKey = serverPublicKey;
      return this;
    }

    /**
     * The worker's own CURVE key pair, whose public key must be in the orchestrator's {@code
     * curve_authorized_keys_file}; usually {@link CurveKeys#readSecretKeyFile} of a {@code .key}
     * file. Requires {@link #curveServerKey}.
     */
    public Builder curveKeyPair(CurveKeyPair keyPair) {
      this.curveKeyPair = Objects.requireNonNull(keyPair, "keyPair");
      return this;
    }

    /** The clock for result timestamps; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * A ZeroMQ context to share, needed for {@code inproc://} endpoints (the orchestrator's
     * context); default the worker's own, closed with it.
     */
    public Builder zContext(ZContext context) {
      this.context = context;
      return this;
    }

    /**
     * Builds the worker.
     *
     * @throws IllegalArgumentException naming the setting that is missing or out of range
     */
    public StepWorker build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoint is required");
      }
      for (String endpoint : endpoints) {
        if (endpoint == null || endpoint.isBlank()) {
          throw new IllegalArgumentException("endpoints must not contain a blank endpoint: " + endpoints);
        }
      }
      if (new HashSet<>(endpoints).size() != endpoints.size()) {
        throw new IllegalArgumentException("endpoints must not repeat an endpoint: " + endpoints);
      }
      if (handlers.isEmpty()) {
        throw new IllegalArgumentException("at least one handler is required");
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1 but was " + concurrency);
      }
      requirePositive(drainTimeout, "drainTimeout");
      requirePositive(helloRetryMax, "helloRetryMax");
      if (livenessMultiplier < 1) {
        throw new IllegalArgumentException(
            "livenessMultiplier must be >= 1 but was " + livenessMultiplier);
      }
      if (encodings.isEmpty()) {
        throw new IllegalArgumentException("encodings must name at least one encoding");
      }
      for (String encoding : encodings) {
        if (!Encodings.SUPPORTED.contains(encoding)) {
          throw new IllegalArgumentException(
              "encodings: '" + encoding + "' is not an encoding; known: " + Encodings.SUPPORTED);
        }
      }
      String id = workerId == null ? Ids.newId().toString() : workerId;
      if (id.isBlank()) {
        throw new IllegalArgumentException("workerId must not be blank");
      }
      WorkerSettings settings =
          new WorkerSettings(
              endpoints,
              discover,
              id,
              handlers,
              concurrency,
              preferVirtualThreads,
              drainTimeout,
              helloRetryMax,
              livenessMultiplier,
              Objects.requireNonNull(clock, "clock"),
              encodings,
              curve());
      boolean owns = context == null;
      return new StepWorker(settings, owns ? new ZContext() : context, owns);
    }

    private CurveClientKeys curve() {
      if ((curveServerKey == null) != (curveKeyPair == null)) {
        throw new IllegalArgumentException(curveServerKey == null
            ? "curveKeyPair is set but curveServerKey is not: CURVE needs both"
            : "curveServerKey is set but curveKeyPair is not: CURVE needs both");
      }
      return curveServerKey == null ? null : new CurveClientKeys(curveServerKey, curveKeyPair);
    }

    private static void requirePositive(Duration value, String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0 ms but was " + value);
      }
    }
  }
}
