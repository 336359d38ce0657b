package dev.tasker.cli.chaos;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.schema.DatabaseSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One chaos scenario's system: its own database, an orchestrator process, worker processes
 * (connected directly or through a {@link FaultProxy}, in the root network namespace or in a
 * {@link NetworkNamespace} of their own), and a client that submits tasks and reads the outcome
 * from the database.
 */
final class ChaosRun implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(60);

  final String scenario;
  final DatabaseSettings database;
  private final Path logs;
  private final Path templates;
  private final int orchestratorPort;
  private final HikariDataSource pool;
  final TaskerClient client;
  private final List<ChildProcess> workers = new ArrayList<>();
  private final List<String> orchestratorHosts = new ArrayList<>(List.of("127.0.0.1"));
  private final List<NetworkNamespace> namespaces = new ArrayList<>();
  private ChildProcess orchestrator;
  private FaultProxy proxy;
  private int orchestratorStarts;

  private ChaosRun(String scenario, DatabaseSettings database, Path logs, Path templates) throws IOException {
    this.scenario = scenario;
    this.database = database;
    this.logs = logs;
    this.templates = templates;
    this.orchestratorPort = ChaosPostgres.freePort();
    Files.createDirectories(logs);
    Files.deleteIfExists(notesIn(logs));
    this.pool = ConnectionPools.open(database, 4, "tasker-chaos-" + scenario);
    this.client = new TaskerClient(pool, TemplateRegistry.empty());
  }

  static ChaosRun create(ChaosPostgres postgres, String scenario, Path logs, Path templates) throws Exception {
    return new ChaosRun(scenario, postgres.createDatabase("chaos_" + scenario), logs, templates);
  }

  String orchestratorEndpoint() {
    return orchestratorEndpoint("127.0.0.1");
  }

  /** The orchestrator's endpoint on {@code host}, one of loopback and {@link #exposeOrchestratorOn}'s. */
  String orchestratorEndpoint(String host) {
    return "tcp://" + host + ":" + orchestratorPort;
  }

  /**
   * A new network namespace joined to this one by a private link, deleted by {@link #close()}
   * after the processes in it are killed.
   *
   * @throws IllegalStateException saying why, when namespaces cannot be made here (not root, no {@code ip})
   */
  NetworkNamespace newNamespace() {
    NetworkNamespace namespace = NetworkNamespace.create();
    namespaces.add(namespace);
    return namespace;
  }

  /**
   * Makes orchestrators started from now on bind {@code host} too (same port), with
   * {@code allow_insecure}: for the private link of a {@link NetworkNamespace}, which no other host
   * can reach.
   */
  void exposeOrchestratorOn(String host) {
    orchestratorHosts.add(host);
  }

  /** Starts an orchestrator process and waits until it accepts connections. */
  void startOrchestrator() throws Exception {
    orchestratorStarts++;
    List<String> arguments =
        new ArrayList<>(List.of("orchestrator", "--http-endpoint", "off", "--templates", templates.toString()));
    for (String host : orchestratorHosts) {
      arguments.addAll(List.of("--endpoint", orchestratorEndpoint(host)));
    }
    if (!OrchestratorConfig.exposed(orchestratorHosts.stream().map(this::orchestratorEndpoint).toList()).isEmpty()) {
      arguments.add("--allow-insecure");
    }
    orchestrator = ChildProcess.start("orchestrator-" + orchestratorStarts, arguments,
        Map.of("TASKER_DATABASE_URL", database.jdbcUrl()),
        logs.resolve("orchestrator-" + orchestratorStarts + ".log"));
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!accepting(orchestratorPort)) {
      if (System.nanoTime() > deadline || !orchestrator.alive()) {
        throw new IllegalStateException(scenario + ": the orchestrator did not start; see " + logs);
      }
      Thread.sleep(100);
    }
  }

  /** The scenario's log directory. */
  Path logs() {
    return logs;
  }

  /** The directory of the chaos templates, for {@code tasker orchestrator --templates}. */
  Path templates() {
    return templates;
  }

  /** Appends a line to the scenario's {@code notes.log}, which {@code tasker chaos} prints after its result. */
  void note(String line) throws IOException {
    Files.writeString(notes(), line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The scenario's notes file (see {@link #note}). */
  static Path notesIn(Path logs) {
    return logs.resolve("notes.log");
  }

  private Path notes() {
    return notesIn(logs);
  }

  ChildProcess orchestrator() {
    return orchestrator;
  }

  /** Puts a fault-injecting proxy in front of the orchestrator; workers started later use it. */
  void useProxy(FaultSettings.Builder settings) {
    useProxy(settings, "127.0.0.1");
  }

  /** {@link #useProxy(FaultSettings.Builder)} with the proxy's frontend on {@code host}, a free port. */
  void useProxy(FaultSettings.Builder settings, String host) {
    proxy = new FaultProxy(settings.frontendEndpoint("tcp://" + host + ":0").backendEndpoint(orchestratorEndpoint()).build());
    proxy.start();
  }

  FaultProxy proxy() {
    return proxy;
  }

  /**
   * Starts {@code count} chaos worker processes, connected to the proxy if there is one, and waits
   * until all have registered. Workers are numbered in start order: {@code chaos-<scenario>-<n>}.
   */
  void startWorkers(int count) throws Exception {
    String endpoint = proxy != null ? proxy.frontendEndpoint() : orchestratorEndpoint();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(launchWorker(List.of(), endpoint));
    }
    awaitRegistered(ids);
  }

  /**
   * Starts a chaos worker process inside {@code namespace}, connected to {@code endpoint} (an
   * address on the namespace's link), and waits until it has registered.
   *
   * @return the worker's id
   */
  String startWorkerIn(NetworkNamespace namespace, String endpoint) throws Exception {
    String id = launchWorker(namespace.launcher(), endpoint);
    awaitRegistered(List.of(id));
    return id;
  }

  private String launchWorker(List<String> launcher, String endpoint) throws IOException {
    String id = "chaos-" + scenario + "-" + (workers.size() + 1);
    Files.deleteIfExists(startsFile(id));
    workers.add(ChildProcess.start(id, launcher,
        List.of("worker", "--endpoint", endpoint, "--handlers", "chaos", "--worker-id", id, "--concurrency", "4",
            "--drain-timeout-seconds", "10"),
        Map.of(ChaosHandlers.STARTS_FILE_ENV, startsFile(id).toString()), logs.resolve(id + ".log")));
    return id;
  }

  /** The file to which worker {@code workerId}'s {@code chaos.work} handler appends a line per step start. */
  private Path startsFile(String workerId) {
    return logs.resolve(workerId + ".starts");
  }

  /** How many steps worker {@code workerId} has started so far. */
  long stepsStarted(String workerId) throws IOException {
    Path file = startsFile(workerId);
    if (!Files.exists(file)) {
      return 0;
    }
    try (var lines = Files.lines(file)) {
      return lines.count();
    }
  }

  private void awaitRegistered(List<String> ids) throws InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (countActive(ids) < ids.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(scenario + ": workers " + ids + " did not register; see " + logs);
      }
      Thread.sleep(100);
    }
  }

  ChildProcess worker(int index) {
    return workers.get(index);
  }

  /**
   * Waits until the worker's row is in {@code state} ({@code active}, {@code dead}, ...).
   *
   * @return whether it was, before {@code timeout} passed
   */
  boolean awaitWorkerState(String workerId, String state, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection connection = pool.getConnection();
          PreparedStatement statement = connection.prepareStatement(
              "SELECT count(*) FROM tasker.workers WHERE worker_id = ? AND state = ?")) {
        statement.setString(1, workerId);
        statement.setString(2, state);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return true;
          }
        }
      } catch (SQLException e) {
        // the database may be restarting
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Creates {@code count} tasks of a chaos template. */
  List<UUID> submit(String template, int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(client.initializeTask(TaskRequest.builder("chaos", template)
          .context(Map.of("scenario", scenario, "index", i)).build()).taskId());
    }
    return ids;
  }

  /** How many of the tasks are complete; 0 while the database cannot be reached. */
  long complete(List<UUID> ids) {
    try {
      return client.statesOf(ids).getOrDefault(TaskState.COMPLETE, 0L);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Waits until every task has finished (or the timeout passes), riding out database outages. */
  void awaitFinished(List<UUID> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Map<TaskState, Long> states = client.statesOf(ids);
        if (states.getOrDefault(TaskState.PENDING, 0L) + states.getOrDefault(TaskState.IN_PROGRESS, 0L) == 0) {
          return;
        }
      } catch (RuntimeException e) {
        // the database may be restarting
      }
      Thread.sleep(200);
    }
  }

  /** Steps whose completion was applied more than once, read from their transitions. */
  long doubleApplied() throws SQLException {
    return queryLong("""
        SELECT count(*) FROM (SELECT step_id FROM tasker.workflow_step_transitions
                               WHERE to_state = 'complete' GROUP BY step_id HAVING count(*) > 1) twice
        """);
  }

  /**
   * Whether the worker holds the current attempt of at least one in-progress step that went out
   * less than {@code withinMs} ago, so that it is still running a moment later, when the caller
   * acts on the answer (a step sent earlier may end in between).
   */
  boolean holdsRecentSteps(String workerId, long withinMs) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement("""
            SELECT count(*) FROM tasker.workflow_steps s
              JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
              JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
             WHERE s.state = 'in_progress' AND b.worker_id = ?
               AND b.created_at > clock_timestamp() - make_interval(secs => ? / 1000.0)
            """)) {
      statement.setString(1, workerId);
      statement.setLong(2, withinMs);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /**
   * Milliseconds from {@code fault} to the timestamp a query returns; the query's first parameter
   * is the fault time, then {@code parameters}. -1 when the query finds nothing.
   */
  long millisSince(Instant fault, String sqlReturningTimestamp, Object... parameters) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(sqlReturningTimestamp)) {
      statement.setTimestamp(1, Timestamp.from(fault));
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 2, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        Timestamp at = rs.getTimestamp(1);
        return at == null ? -1 : Math.max(0, Duration.between(fault, at.toInstant()).toMillis());
      }
    }
  }

  long queryLong(String sql, Object... parameters) throws SQLException {
    Object value = queryValue(sql, parameters);
    return value == null ? 0 : ((Number) value).longValue();
  }

  String queryText(String sql, Object... parameters) throws SQLException {
    return String.valueOf(queryValue(sql, parameters));
  }

  /** The first column of the first row. */
  private Object queryValue(String sql, Object... parameters) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getObject(1);
      }
    }
  }

  private long countActive(List<String> ids) {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT count(*) FROM tasker.workers WHERE state = 'active' AND worker_id = ANY(?)")) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      return 0;
    }
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Kills every process (the scenario is measured, nothing is left to drain), then deletes the
   * network namespaces, empty by then.
   */
  @Override
  public void close() throws InterruptedException {
    try {
      for (ChildProcess worker : workers) {
        worker.kill();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (orchestrator != null) {
        orchestrator.kill();
      }
    } finally {
      namespaces.forEach(NetworkNamespace::close);
      pool.close();
    }
  }
}
