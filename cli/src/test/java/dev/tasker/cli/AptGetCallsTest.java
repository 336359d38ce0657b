package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's shell scripts share the machine with other engineers and with
 * unattended-upgrades: an apt-get that finds the dpkg lock taken must wait for it, not fail the
 * test run at once.
 */
class AptGetCallsTest {

  private static final Path ROOT = Path.of("..");
  // apt-get as a command (after sudo, env VAR=value, && or ||), not apt-get named in a message.
  private static final Pattern APT_GET_COMMAND =
      Pattern.compile("^\\s*(?:(?:&&|\\|\\|)\\s*)?(?:\\$sudo\\s+|sudo\\s+)?(?:env\\s+(?:\\S+=\\S*\\s+)*)?apt-get\\s");

  @Test
  void every_apt_get_call_in_the_scripts_waits_for_the_dpkg_lock() throws IOException {
    List<String> calls = new ArrayList<>();
    for (Path script : scripts()) {
      for (String line : Files.readAllLines(script)) {
        if (APT_GET_COMMAND.matcher(line).find()) {
          calls.add(ROOT.relativize(script) + ": " + line.trim());
        }
      }
    }

    assertThat(calls).as("apt-get calls in the scripts").isNotEmpty()
        .allSatisfy(call -> assertThat(call).contains("-o DPkg::Lock::Timeout=600"));
  }

  private static List<Path> scripts() throws IOException {
    List<Path> scripts = new ArrayList<>(List.of(ROOT.resolve("tasker")));
    for (String directory : List.of("scripts", ".ci", "ruby-worker/script")) {
      try (Stream<Path> files = Files.list(ROOT.resolve(directory))) {
        files.filter(Files::isRegularFile).forEach(scripts::add);
      }
    }
    return scripts;
  }
}
