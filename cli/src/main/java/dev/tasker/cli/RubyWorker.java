package dev.tasker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Ruby worker gem ({@code ruby-worker/} of this project) and a Ruby that can run it, for
 * the commands that start Ruby workers. The project directory is the {@code tasker.home} system
 * property (the launcher sets it) or the nearest directory at or above the working directory that
 * holds {@code ruby-worker/bin/tasker-worker}.
 */
final class RubyWorker {

  /** What the Ruby worker needs; the same check as {@code scripts/run-tests} makes. */
  private static final String PROBE = "require 'ffi-rzmq'; require 'concurrent'; require 'json'";

  private final Path gem;

  private RubyWorker(Path gem) {
    this.gem = gem;
  }

  /**
   * The Ruby worker when the gem is here and {@code ruby} runs it, otherwise the reason it is not.
   */
  static Availability find() {
    Path gem = locateGem();
    if (gem == null) {
      return new Availability(null, "ruby-worker/bin/tasker-worker not found (set -Dtasker.home)");
    }
    try {
      Process probe = new ProcessBuilder("ruby", "-e", PROBE).redirectErrorStream(true).start();
      if (!probe.waitFor(20, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return new Availability(null, "ruby did not answer within 20 s");
      }
      if (probe.exitValue() != 0) {
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Availability(null, "ruby cannot load ffi-rzmq and concurrent-ruby: "
            + output.lines().findFirst().orElse("exit status " + probe.exitValue())
            + " (install: apt-get install ruby ruby-ffi-rzmq libzmq5 ruby-concurrent)");
      }
      return new Availability(new RubyWorker(gem), null);
    } catch (IOException e) {
      return new Availability(null, "ruby is not installed (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Availability(null, "interrupted");
    }
  }

  /** A Ruby worker, or why there is none. */
  record Availability(RubyWorker worker, String reason) {}

  /** The command that starts a worker serving the handlers of the given example files. */
  List<String> command(String endpoint, int concurrency, String workerId, List<String> examples) {
    List<String> command = new ArrayList<>(List.of("ruby", gem.resolve("bin/tasker-worker").toString(),
        "--endpoint", endpoint, "--concurrency", String.valueOf(concurrency), "--worker-id", workerId));
    for (String example : examples) {
      command.add("--require");
      command.add(gem.resolve("examples").resolve(example).toString());
    }
    return command;
  }

  private static Path locateGem() {
    String home = System.getProperty("tasker.home");
    if (home != null && Files.isRegularFile(Path.of(home, "ruby-worker", "bin", "tasker-worker"))) {
      return Path.of(home, "ruby-worker").toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("ruby-worker/bin/tasker-worker"))) {
        return dir.resolve("ruby-worker");
      }
    }
    return null;
  }
}
