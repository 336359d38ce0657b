package dev.tasker.cli.chaos;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
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
 * (connected directly or through a {@link FaultProxy}), and a client that submits tasks and reads
 * the outcome from the database.
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
    this.pool = ConnectionPools.open(database, 4, "tasker-chaos-" + scenario);
    this.client = new TaskerClient(pool, TemplateRegistry.empty());
  }

  static ChaosRun create(ChaosPostgres postgres, String scenario, Path logs, Path templates) throws Exception {
    return new ChaosRun(scenario, postgres.createDatabase("chaos_" + scenario), logs, templates);
  }

  String orchestratorEndpoint() {
    return "tcp://127.0.0.1:" + orchestratorPort;
  }

  /** Starts an orchestrator process and waits until it accepts connections. */
  void startOrchestrator() throws Exception {
    orchestratorStarts++;
    orchestrator = ChildProcess.start("orchestrator-" + orchestratorStarts,
        List.of("orchestrator", "--endpoint", orchestratorEndpoint(), "--templates", templates.toString()),
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

  ChildProcess orchestrator() {
    return orchestrator;
  }

  /** Puts a fault-injecting proxy in front of the orchestrator; workers started later use it. */
  void useProxy(FaultSettings.Builder settings) {
    proxy = new FaultProxy(settings.frontendEndpoint("tcp://127.0.0.1:0").backendEndpoint(orchestratorEndpoint()).build());
    proxy.start();
  }

  FaultProxy proxy() {
    return proxy;
  }

  /** Starts {@code count} chaos worker processes and waits until all have registered. */
  void startWorkers(int count) throws Exception {
    String endpoint = proxy != null ? proxy.frontendEndpoint() : orchestratorEndpoint();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String id = "chaos-" + scenario + "-" + i;
      ids.add(id);
      workers.add(ChildProcess.start(id,
          List.of("worker", "--endpoint", endpoint, "--handlers", "chaos", "--worker-id", id, "--concurrency", "4",
              "--drain-timeout-seconds", "10"),
          Map.of(), logs.resolve(id + ".log")));
    }
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (countActive(ids) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(scenario + ": workers did not register; see " + logs);
      }
      Thread.sleep(100);
    }
  }

  ChildProcess worker(int index) {
    return workers.get(index);
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

  long queryLong(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
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

  /** Kills every process: the scenario is measured, nothing is left to drain. */
  @Override
  public void close() throws InterruptedException {
    for (ChildProcess worker : workers) {
      worker.kill();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (orchestrator != null) {
      orchestrator.kill();
    }
    pool.close();
  }
}
