package dev.tasker.cli.chaos;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip}, {@code tc}) for chaos scenarios, and checks their
 * prerequisites, failing with a message that says what is missing and for what.
 */
final class SystemCommand {

  private static final long TIMEOUT_SECONDS = 20;
  /** Where iproute2 lives when PATH lacks the sbin directories (as it often does for non-root users). */
  private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private SystemCommand() {}

  /**
   * @throws IllegalStateException when this process's effective user is not root, naming {@code purpose}
   */
  static void requireRoot(String purpose) {
    long uid = effectiveUid();
    if (uid != 0) {
      throw new IllegalStateException(purpose + " need root (CAP_NET_ADMIN), but this process runs as uid " + uid
          + "; run as root, or choose other scenarios with --scenario");
    }
  }

  /**
   * @throws IllegalStateException when {@code tool} is not an executable on PATH or in the sbin
   *     directories, naming {@code purpose}
   */
  static void require(String tool, String purpose) {
    if (find(tool) == null) {
      throw new IllegalStateException("'" + tool + "' was not found on PATH or in " + SBIN + ", and is needed for "
          + purpose);
    }
  }

  /** The tool's absolute path, or its bare name when it cannot be found (the command then fails). */
  static String path(String tool) {
    String found = find(tool);
    return found != null ? found : tool;
  }

  /**
   * Runs a command and returns its standard output.
   *
   * @throws IllegalStateException with the command and its output, when it exits non-zero, cannot
   *     start or takes longer than 20 seconds
   */
  static String run(List<String> command) {
    File errors = null;
    try {
      errors = File.createTempFile("tasker-command", ".err");
      Process process = new ProcessBuilder(command).redirectError(errors)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("'" + String.join(" ", command) + "' took longer than " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + process.exitValue() + "): "
            + Files.readString(errors.toPath()).strip());
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("'" + String.join(" ", command) + "' could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running '" + String.join(" ", command) + "'", e);
    } finally {
      if (errors != null) {
        errors.delete();
      }
    }
  }

  /** Runs a command for cleanup: whether it succeeded; never throws. */
  static boolean tryRun(List<String> command) {
    try {
      run(command);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String find(String tool) {
    List<String> directories = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      directories.addAll(List.of(path.split(File.pathSeparator)));
    }
    directories.addAll(SBIN);
    for (String directory : directories) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    return null;
  }

  private static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status to check for root (not Linux?)", e);
    }
    throw new IllegalStateException("no Uid line in /proc/self/status");
  }
}
