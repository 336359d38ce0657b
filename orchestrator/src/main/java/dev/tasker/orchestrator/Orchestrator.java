package dev.tasker.orchestrator;

import dev.tasker.orchestrator.internal.api.ApiServer;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.cluster.OrchestratorRegistry;
import dev.tasker.orchestrator.internal.deadlines.DeadlineSweeper;
import dev.tasker.orchestrator.internal.dispatch.BatchDispatcher;
import dev.tasker.orchestrator.internal.dispatch.DispatchSettings;
import dev.tasker.orchestrator.internal.dispatch.DispatchSignal;
import dev.tasker.orchestrator.internal.metrics.Readiness;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.notify.PeerNotifier;
import dev.tasker.orchestrator.internal.notify.ReadyListener;
import dev.tasker.orchestrator.internal.creation.TemplateStore;
import dev.tasker.orchestrator.internal.results.ApplierRouting;
import dev.tasker.orchestrator.internal.results.ResultApplier;
import dev.tasker.orchestrator.internal.retention.Retention;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.transport.RouterGateway;
import dev.tasker.orchestrator.internal.transport.TransportSettings;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.ZapHandler;
import dev.tasker.schema.TaskerSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * The orchestrator process: it owns the Tasker database and a ZeroMQ ROUTER socket, dispatches
 * ready steps in batches to registered workers, applies their results, retries failed steps with
 * backoff and finalizes tasks.
 *
 * <h2>Threads</h2>
 *
 * Four threads, each with one job: the transport owns the socket (workers, heartbeats, credit);
 * the dispatcher claims ready steps and sends batches; the applier writes results; the listener
 * turns database notifications of new tasks into dispatcher wake-ups. With CURVE configured, a
 * fifth answers the ZAP requests of the ROUTER's handshakes (which worker keys may connect). The
 * public methods are thread-safe.
 *
 * <h2>Lifecycle</h2>
 *
 * {@code NEW -> RUNNING -> DRAINING -> STOPPED}. {@link #start()} applies the schema migrations,
 * registers the templates, binds the endpoints and starts the threads. {@link #close()} stops
 * dispatching, tells workers goodbye, applies every result already received and stops. Steps still
 * running at workers stay in progress in the database, to be recovered by the next start.
 */
public final class Orchestrator implements AutoCloseable {

  /** Lifecycle states. */
  public enum State {
    /** Built, not started. */
    NEW,
    /** Dispatching. */
    RUNNING,
    /** Stopping: no new batches; received results are still applied. */
    DRAINING,
    /** Stopped. */
    STOPPED
  }

  private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
  private static final long STOP_WAIT_MS = 10_000;

  private final OrchestratorConfig config;
  private final DataSource dataSource;
  private final TemplateRegistry templates;
  private final Clock clock;
  private final ZContext context;
  private final boolean ownsContext;
  private final boolean migrate;
  private final String orchestratorId = Ids.newId().toString();
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final WorkerRegistry registry = new WorkerRegistry();
  private final DispatchSignal signal = new DispatchSignal();
  private final TaskerClient client;
  private final TaskerMetrics metrics = new TaskerMetrics();
  private final Readiness readiness;
  private RouterGateway gateway;
  private ZapHandler zap;
  private BatchDispatcher dispatcher;
  private ApplierRouting applier;
  private List<ResultApplier> appliers;
  private ReadyListener listener;
  private DeadlineSweeper sweeper;
  /** Null when retention_days is 0 (keep everything). */
  private Retention retention;
  private volatile OrchestratorRegistry peers;
  /** Null when http_endpoint is off. */
  private ApiServer http;
  private volatile List<String> endpoints = List.of();
  private final List<Thread> threads = new java.util.ArrayList<>();

  private Orchestrator(Builder builder) {
    this.config = Objects.requireNonNull(builder.config, "config");
    this.dataSource = Objects.requireNonNull(builder.dataSource, "dataSource");
    this.templates = builder.templates;
    this.clock = builder.clock;
    this.ownsContext = builder.context == null;
    this.context = ownsContext ? new ZContext() : builder.context;
    this.migrate = builder.migrate;
    this.client = new TaskerClient(dataSource, templates, signal::wake);
    this.readiness = new Readiness(dataSource, () -> state.get() == State.RUNNING && !endpoints.isEmpty());
  }

  /** A builder; {@link Builder#dataSource} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Migrates the schema, registers templates, binds the endpoints and starts the threads.
   *
   * @throws IllegalStateException when already started
   * @throws TaskerException when the database or an endpoint cannot be used
   */
  public synchronized Orchestrator start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("orchestrator is " + state.get());
    }
    if (migrate) {
      TaskerSchema.migrate(dataSource);
    }
    client.registerTemplates();
    metrics.bindJvm();
    metrics.bindDatabase(dataSource);
    metrics.bindWorkers(registry);
    Backoff backoff = new Backoff(new Random());
    Liveness self = new Liveness(orchestratorId, config.heartbeatIntervalMs() * config.heartbeatLiveness());
    DispatchSettings dispatch = new DispatchSettings(config.batchSize(), config.maxStepsPerRound(),
        config.resultTimeoutMs(), config.sweepIntervalMs(), orchestratorId);
    int applierCount = config.appliers();
    TemplateStore runTimeTemplates = new TemplateStore(dataSource, templates);
    appliers = new ArrayList<>();
    for (int i = 0; i < applierCount; i++) {
      appliers.add(new ResultApplier(dataSource, backoff,
          delayMs -> dispatcher.retryScheduled(delayMs), config.maxResultsPerTransaction(),
          Math.max(1, config.maxQueuedResults() / applierCount),
          self, (workerId, ack) -> gateway.sendToWorker(workerId, ack),
          new ResultApplier.ChildDispatch(registry, dispatch, round -> round.send(gateway, metrics),
              inMillis -> sweeper.deadlineSet(inMillis), () -> dispatcher.stepsReady(), () -> dispatcher.creditFreed()),
          metrics).createStepsWith(runTimeTemplates, config.maxBatchWorkersPerTask()));
    }
    applier = new ApplierRouting(appliers);
    List<ResultApplier> counted = appliers;
    metrics.bindApplierBacklog(() -> counted.stream().mapToInt(ResultApplier::backlog).sum());
    TransportSettings transport = new TransportSettings(config.endpoints(), config.heartbeatIntervalMs(),
        config.heartbeatLiveness(), config.sendHighWaterMark(), config.receiveHighWaterMark(),
        config.maxMessageBytes(), orchestratorId, config.encodings(), this::livePeers,
        config.curve() ? config.readCurveSecretKey() : null);
    if (config.curve()) {
      // Bound before the ROUTER binds: JeroMQ lets every CURVE client in while no handler is bound.
      zap = new ZapHandler(context, config.readAuthorizedKeys(), "curve_authorized_keys_file");
      startThread(zap, "tasker-zap");
    }
    gateway = new RouterGateway(transport, context, registry, applier, signal::wake, clock);
    try {
      endpoints = gateway.bind();
    } catch (RuntimeException e) {
      if (zap != null) {
        zap.requestStop();
      }
      throw e;
    }
    peers = new OrchestratorRegistry(dataSource, self,
        OrchestratorRegistry.advertised(config.advertisedEndpoints(), endpoints), config.heartbeatIntervalMs());
    peers.register();
    long grace = config.heartbeatIntervalMs() * (config.heartbeatLiveness() + 1);
    sweeper = new DeadlineSweeper(dataSource, backoff, self, signal::wake,
        delayMs -> dispatcher.retryScheduled(delayMs), config.heartbeatIntervalMs(), grace, config.sweepIntervalMs(),
        metrics);
    dispatcher = new BatchDispatcher(dataSource, registry, gateway, signal, dispatch, sweeper::deadlineSet,
        new PeerNotifier(dataSource, orchestratorId, () -> peers.peers().size() > 1), metrics);
    listener = new ReadyListener(dataSource, orchestratorId, signal::wake);
    for (int i = 0; i < appliers.size(); i++) {
      startThread(appliers.get(i), appliers.size() == 1 ? "tasker-result-applier" : "tasker-result-applier-" + i);
    }
    startThread(gateway, "tasker-transport");
    startThread(dispatcher, "tasker-dispatcher");
    startThread(listener, "tasker-ready-listener");
    startThread(sweeper, "tasker-deadline-sweeper");
    if (config.retentionDays() > 0) {
      retention = new Retention(dataSource, config.retentionDays(), metrics);
      startThread(retention, "tasker-retention");
    }
    startThread(peers, "tasker-orchestrator-heartbeat");
    if (config.http().isPresent()) {
      try {
        http = new ApiServer(config.http().get(), config.apiTokens(),
            new ApiServer.Sources(client, dataSource, readiness::ready, metrics::scrape, metrics::finishedSteps), clock).start();
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }
    log.info("orchestrator {} listening on {} with {} templates", orchestratorId, endpoints, templates.all().size());
    if (config.curve()) {
      log.info("CURVE: workers authenticate with keys listed in curve_authorized_keys_file ({} keys)",
          zap.authorizedCount());
    }
    List<String> exposed = OrchestratorConfig.exposed(endpoints);
    if (!exposed.isEmpty() && !config.curve()) {
      log.warn("{} can be reached from other hosts without encryption or worker authentication (allow_insecure)",
          exposed);
    }
    return this;
  }

  private List<Welcome.OrchestratorEndpoints> livePeers() {
    OrchestratorRegistry registered = peers;
    if (registered == null) {
      return List.of();
    }
    return registered.peers().stream()
        .filter(peer -> !peer.endpoints().isEmpty())
        .map(peer -> new Welcome.OrchestratorEndpoints(peer.orchestratorId(), peer.endpoints()))
        .toList();
  }

  private void startThread(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(false);
    threads.add(thread);
    thread.start();
  }

  /** The bound endpoints, with real port numbers; empty before {@link #start()}. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** The first bound TCP endpoint, for workers to connect to. */
  public String tcpEndpoint() {
    return endpoints.stream().filter(e -> e.startsWith("tcp://")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no tcp endpoint is bound"));
  }

  /** This process's id, sent to workers in WELCOME. */
  public String orchestratorId() {
    return orchestratorId;
  }

  /** A client over the same database and templates. */
  public TaskerClient client() {
    return client;
  }

  /** The ZeroMQ context; workers in the same JVM need it for {@code inproc://} endpoints. */
  public ZContext zContext() {
    return context;
  }

  /** How many workers are registered now. */
  public int registeredWorkers() {
    return registry.sessions().size();
  }

  /**
   * Reads {@code curve_authorized_keys_file} again and accepts exactly its keys from now on, for
   * new connections; workers already connected stay. When the file is not valid the keys in use
   * stay. Logs how many keys are authorized, never the keys. Thread-safe.
   *
   * @return how many keys are authorized now
   * @throws ConfigurationException naming what is wrong with the file
   * @throws IllegalStateException when CURVE is not configured or the orchestrator is not running
   */
  public int reloadAuthorizedKeys() {
    if (!config.curve()) {
      throw new IllegalStateException("CURVE is not configured (curve_secret_key_file)");
    }
    ZapHandler handler = zap;
    if (handler == null) {
      throw new IllegalStateException("orchestrator is " + state.get());
    }
    try {
      handler.authorize(config.readAuthorizedKeys());
    } catch (ConfigurationException e) {
      log.error("kept the {} authorized keys in use: {}", handler.authorizedCount(), e.getMessage());
      throw e;
    }
    log.info("reloaded curve_authorized_keys_file: {} keys authorized", handler.authorizedCount());
    return handler.authorizedCount();
  }

  /**
   * This orchestrator's meters, for the HTTP server's {@code /metrics} ({@link TaskerMetrics#scrape()}).
   * Internal: the type is not supported API.
   */
  public TaskerMetrics metrics() {
    return metrics;
  }

  /**
   * This orchestrator's readiness checks, for the HTTP server's {@code /health/ready} ({@link
   * Readiness#ready()}). Internal: the type is not supported API.
   */
  public Readiness readiness() {
    return readiness;
  }

  /** The current lifecycle state. */
  public State state() {
    return state.get();
  }

  /**
   * The HTTP server's address ({@code http://127.0.0.1:8080}), with the port actually bound; empty
   * when {@code http_endpoint} is off.
   */
  public java.util.Optional<String> httpUrl() {
    return java.util.Optional.ofNullable(http).map(ApiServer::url);
  }

  /** Stops as described in the class documentation. Idempotent. */
  @Override
  public synchronized void close() {
    State previous = state.getAndUpdate(s -> s == State.RUNNING ? State.DRAINING : s);
    if (previous != State.RUNNING) {
      if (previous == State.NEW) {
        state.set(State.STOPPED);
        closeContext();
        readiness.close();
        metrics.close();
      }
      return;
    }
    try {
      if (http != null) {
        http.close();
      }
      dispatcher.requestStop();
      dispatcher.awaitStopped(STOP_WAIT_MS);
      sweeper.requestStop();
      sweeper.awaitStopped(STOP_WAIT_MS);
      if (retention != null) {
        retention.requestStop();
        retention.awaitStopped(STOP_WAIT_MS);
      }
      gateway.farewell();
      gateway.requestStop();
      gateway.awaitStopped(STOP_WAIT_MS);
      for (ResultApplier each : appliers) {
        each.requestStop();
      }
      for (ResultApplier each : appliers) {
        each.awaitStopped(STOP_WAIT_MS);
      }
      listener.requestStop();
      listener.awaitStopped(STOP_WAIT_MS);
      peers.stop(STOP_WAIT_MS);
      if (zap != null) {
        // Only now that the ROUTER is closed: without a handler, JeroMQ would accept any key.
        zap.requestStop();
        zap.awaitStopped(STOP_WAIT_MS);
      }
      for (Thread thread : threads) {
        thread.join(STOP_WAIT_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeContext();
      readiness.close();
      metrics.close();
      state.set(State.STOPPED);
      log.info("orchestrator {} stopped", orchestratorId);
    }
  }

  private void closeContext() {
    if (ownsContext) {
      context.close();
    }
  }

  /** Builds an {@link Orchestrator}. Not thread-safe. */
  public static final class Builder {
    private OrchestratorConfig config = OrchestratorConfig.builder().build();
    private DataSource dataSource;
    private TemplateRegistry templates = TemplateRegistry.empty();
    private Clock clock = Clock.systemUTC();
    private ZContext context;
    private boolean migrate = true;

    private Builder() {}

    /** The configuration; default {@link OrchestratorConfig#builder()}'s defaults. */
    public Builder config(OrchestratorConfig config) {
      this.config = config;
      return this;
    }

    /** The Tasker database; required. Needs at least 4 connections. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = dataSource;
      return this;
    }

    /** The templates to register and serve. */
    public Builder templates(TemplateRegistry templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * The clock for timestamps of received messages; default the system UTC clock. Retry due times
     * and every liveness judgement use the database's clock instead, which all orchestrators share.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A ZeroMQ context to share (for {@code inproc://}); default the orchestrator's own. */
    public Builder zContext(ZContext context) {
      this.context = context;
      return this;
    }

    /** Whether {@link Orchestrator#start()} applies the migrations; default {@code true}. */
    public Builder migrateOnStart(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /** Builds the orchestrator. */
    public Orchestrator build() {
      return new Orchestrator(this);
    }
  }
}
