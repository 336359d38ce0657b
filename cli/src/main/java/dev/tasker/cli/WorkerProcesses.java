package dev.tasker.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker processes started from this JVM's own classpath ({@code tasker worker}), each logging to
 * its own file. Stopping sends SIGTERM, so they drain, and kills those still alive after a grace
 * period.
 */
final class WorkerProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  private WorkerProcesses() {}

  /**
   * Starts {@code count} workers.
   *
   * @param idPrefix worker ids are this plus a number
   */
  static WorkerProcesses start(int count, String endpoint, int concurrency, String idPrefix, Path logDirectory)
      throws IOException {
    return start(count, endpoint, concurrency, idPrefix, logDirectory, "examples", List.of());
  }

  /**
   * Starts {@code count} workers serving a handler set of {@code tasker worker --handlers}.
   *
   * @param jvmOptions extra options for each worker's JVM, such as a heap size
   */
  static WorkerProcesses start(int count, String endpoint, int concurrency, String idPrefix, Path logDirectory,
      String handlerSet, List<String> jvmOptions) throws IOException {
    Files.createDirectories(logDirectory);
    WorkerProcesses workers = new WorkerProcesses();
    Runtime.getRuntime().addShutdownHook(new Thread(workers::kill, "tasker-worker-processes-kill"));
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    for (int i = 1; i <= count; i++) {
      Path log = logDirectory.resolve("worker-" + i + ".log");
      List<String> command = new ArrayList<>(List.of(java, "-Xss512k"));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", classpath, TaskerCli.class.getName(), "worker",
          "--endpoint", endpoint, "--concurrency", String.valueOf(concurrency), "--handlers", handlerSet,
          "--worker-id", idPrefix + i, "--drain-timeout-seconds", "20"));
      workers.add(command, log);
    }
    return workers;
  }

  /** Starts one more worker with {@code command}, logging to {@code log}. */
  void add(List<String> command, Path log) throws IOException {
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    processes.add(process);
    logs.add(log);
  }

  /** How many have been started. */
  int started() {
    return processes.size();
  }

  /** The log files. */
  List<Path> logs() {
    return logs;
  }

  /** How many are still running. */
  long alive() {
    return processes.stream().filter(Process::isAlive).count();
  }

  /** Stops them: SIGTERM, then a forced kill of any still alive after 30 seconds. */
  @Override
  public void close() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process process : processes) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private void kill() {
    processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
  }
}
