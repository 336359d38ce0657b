package dev.tasker.cli.conformance;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker under test: the user's command, started once per scenario with the kit's endpoint in
 * {@code TASKER_ENDPOINT} and in place of every {@code {endpoint}} in its arguments. Its output goes
 * to a log file, shown when a scenario fails.
 */
final class WorkerProcess implements AutoCloseable {

  /** Placeholder replaced by the kit's endpoint in the command's arguments. */
  static final String ENDPOINT_PLACEHOLDER = "{endpoint}";

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param curve the run's keys, or {@code null}
   * @param authorized with {@code curve}: whether the worker gets the authorized key or the stranger's
   */
  static WorkerProcess start(List<String> command, String endpoint, Path log, KitCurve curve, boolean authorized) {
    List<String> resolved = new ArrayList<>(command.size());
    command.forEach(argument -> {
      String replaced = argument.replace(ENDPOINT_PLACEHOLDER, endpoint);
      resolved.add(curve == null ? replaced : curve.resolve(replaced, authorized));
    });
    ProcessBuilder builder = new ProcessBuilder(resolved)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("TASKER_ENDPOINT", endpoint);
    if (curve != null) {
      builder.environment().putAll(curve.workerEnvironment(authorized));
    }
    try {
      Process process = builder.start();
      return new WorkerProcess(process, log);
    } catch (IOException e) {
      throw new ConformanceFailure("cannot start the worker command " + resolved + ": " + e.getMessage());
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends SIGTERM, the signal a worker must drain on. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the process to exit; {@code null} when it is still running after {@code timeout}. */
  Integer awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The last {@code lines} lines the worker printed. */
  List<String> tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
    }
  }

  Path log() {
    return log;
  }

  /** SIGTERM, then SIGKILL (of the process and anything it started) after a grace period. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (awaitExit(Duration.ofSeconds(5)) == null) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
