package dev.tasker.cli.chaos;

import dev.tasker.cli.TaskerCli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tasker} subcommand run as a separate JVM from this JVM's classpath, logging to a file.
 * It can be stopped gracefully (SIGTERM) or killed (SIGKILL) to simulate a crash.
 */
final class ChildProcess implements AutoCloseable {

  private final Process process;
  private final String name;

  private ChildProcess(Process process, String name) {
    this.process = process;
    this.name = name;
  }

  /** Starts {@code tasker <arguments>} with extra environment variables. */
  static ChildProcess start(String name, List<String> arguments, Map<String, String> environment, Path log)
      throws IOException {
    return start(name, List.of(), arguments, environment, log);
  }

  /**
   * Starts {@code tasker <arguments>} through {@code launcher}, a command prefix that execs its
   * arguments (such as {@link NetworkNamespace#launcher()}), so the process to kill is still the JVM.
   */
  static ChildProcess start(String name, List<String> launcher, List<String> arguments,
      Map<String, String> environment, Path log) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TaskerCli.class.getName());
    command.addAll(arguments);
    return startCommand(name, command, environment, log);
  }

  /** Starts any {@code command} (a Ruby worker, say), logging to {@code log}. */
  static ChildProcess startCommand(String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(environment);
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
    return new ChildProcess(process, name);
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: the process gets no chance to clean up. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL after {@code graceSeconds}. */
  void stop(long graceSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(10);
    }
  }
}
