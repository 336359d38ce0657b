package dev.tasker.cli.chaos;

import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.schema.DatabaseSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several orchestrator processes on one database and worker processes (Java, or any command such
 * as a Ruby worker) given every orchestrator's endpoint, each of which can be killed and started
 * again. An orchestrator may run in a {@link NetworkNamespace} of its own, bound on the namespace's
 * end of the link and reaching PostgreSQL at the root's end. Every start logs to a file of its own
 * ({@code orchestrator-<n>.<start>.log}, {@code <worker id>.<start>.log}). {@link #close()} kills
 * everything still running. Not thread-safe: one thread drives it.
 */
final class Cluster implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final DatabaseSettings database;
  private final Path logs;
  private final Path templates;
  private final List<Member> orchestrators = new ArrayList<>();
  private final List<Member> workers = new ArrayList<>();

  /** A process that can be started again: how, and its latest start. */
  private static final class Member {
    final String name;
    /** Whether {@link #command} are arguments of {@code tasker} rather than a whole command. */
    final boolean tasker;
    final List<String> launcher;
    final List<String> command;
    final Map<String, String> environment;
    final String host;
    final int port;
    ChildProcess process;
    int starts;

    Member(String name, boolean tasker, List<String> launcher, List<String> command, Map<String, String> environment,
        String host, int port) {
      this.name = name;
      this.tasker = tasker;
      this.launcher = launcher;
      this.command = command;
      this.environment = environment;
      this.host = host;
      this.port = port;
    }

    boolean alive() {
      return process != null && process.alive();
    }
  }

  Cluster(DatabaseSettings database, Path logs, Path templates) throws IOException {
    this.database = database;
    this.logs = logs;
    this.templates = templates;
    Files.createDirectories(logs);
  }

  /**
   * Adds an orchestrator in the root namespace on loopback, not started yet.
   *
   * @return its index
   */
  int addOrchestrator() throws IOException {
    return addOrchestrator("127.0.0.1", List.of(), database.jdbcUrl());
  }

  /**
   * Adds an orchestrator inside {@code namespace}, bound on its end of the link (with
   * {@code allow_insecure}: the link is private to this host), reaching PostgreSQL at the root's
   * end, which must listen there ({@link ChaosPostgres#listenAlsoOn}). Not started yet.
   *
   * @return its index
   */
  int addOrchestratorIn(NetworkNamespace namespace) throws IOException {
    return addOrchestrator(namespace.namespaceAddress(), namespace.launcher(),
        ChaosPostgres.jdbcUrlAt(database, namespace.hostAddress()));
  }

  private int addOrchestrator(String host, List<String> launcher, String jdbcUrl) throws IOException {
    int port = ChaosPostgres.freePort();
    String endpoint = "tcp://" + host + ":" + port;
    List<String> arguments = new ArrayList<>(List.of("orchestrator", "--http-endpoint", "off", "--templates", templates.toString(),
        "--endpoint", endpoint));
    if (!OrchestratorConfig.exposed(List.of(endpoint)).isEmpty()) {
      arguments.add("--allow-insecure");
    }
    orchestrators.add(new Member("orchestrator-" + (orchestrators.size() + 1), true, launcher, arguments,
        Map.of("TASKER_DATABASE_URL", jdbcUrl), host, port));
    return orchestrators.size() - 1;
  }

  /** The endpoint of orchestrator {@code index}. */
  String endpoint(int index) {
    Member orchestrator = orchestrators.get(index);
    return "tcp://" + orchestrator.host + ":" + orchestrator.port;
  }

  /** Every orchestrator's endpoint, in index order. */
  List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < orchestrators.size(); i++) {
      endpoints.add(endpoint(i));
    }
    return endpoints;
  }

  int orchestratorCount() {
    return orchestrators.size();
  }

  /** Starts (or starts again) orchestrator {@code index} and waits until it accepts connections. */
  void startOrchestrator(int index) throws Exception {
    Member orchestrator = orchestrators.get(index);
    launch(orchestrator);
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!accepting(orchestrator.host, orchestrator.port)) {
      if (System.nanoTime() > deadline || !orchestrator.alive()) {
        throw new IllegalStateException(orchestrator.name + " did not start; see " + logs);
      }
      Thread.sleep(50);
    }
  }

  /** SIGKILL to orchestrator {@code index}, waiting until it has exited. */
  void killOrchestrator(int index) throws InterruptedException {
    orchestrators.get(index).process.kill();
  }

  boolean orchestratorAlive(int index) {
    return orchestrators.get(index).alive();
  }

  /**
   * Adds a Java worker ({@code tasker worker --handlers <handlerSet>}) given every orchestrator's
   * endpoint (add the orchestrators first), not started yet.
   *
   * @return its index
   */
  int addJavaWorker(String workerId, String handlerSet, int concurrency) {
    return addWorker(workerId, List.of("worker", "--endpoint", String.join(",", endpoints()), "--handlers",
        handlerSet, "--worker-id", workerId, "--concurrency", String.valueOf(concurrency),
        "--drain-timeout-seconds", "10"), true);
  }

  /**
   * Adds a worker started by {@code command} (which must name the worker id and every
   * orchestrator's endpoint), not started yet.
   *
   * @return its index
   */
  int addWorkerCommand(String workerId, List<String> command) {
    return addWorker(workerId, command, false);
  }

  private int addWorker(String workerId, List<String> command, boolean tasker) {
    workers.add(new Member(workerId, tasker, List.of(), command, Map.of(), null, 0));
    return workers.size() - 1;
  }

  String workerId(int index) {
    return workers.get(index).name;
  }

  int workerCount() {
    return workers.size();
  }

  /** Starts (or starts again) worker {@code index}; it registers on its own (see the workers table). */
  void startWorker(int index) throws IOException {
    launch(workers.get(index));
  }

  /** SIGKILL to worker {@code index}, waiting until it has exited. */
  void killWorker(int index) throws InterruptedException {
    workers.get(index).process.kill();
  }

  boolean workerAlive(int index) {
    return workers.get(index).alive();
  }

  private void launch(Member member) throws IOException {
    if (member.alive()) {
      throw new IllegalStateException(member.name + " is already running");
    }
    member.starts++;
    Path log = logs.resolve(member.name + "." + member.starts + ".log");
    member.process = member.tasker
        ? ChildProcess.start(member.name, member.launcher, member.command, member.environment, log)
        : ChildProcess.startCommand(member.name, member.command, member.environment, log);
  }

  private static boolean accepting(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills every worker, then every orchestrator. */
  @Override
  public void close() throws InterruptedException {
    for (Member member : workers) {
      if (member.process != null) {
        member.process.kill();
      }
    }
    for (Member member : orchestrators) {
      if (member.process != null) {
        member.process.kill();
      }
    }
  }
}
