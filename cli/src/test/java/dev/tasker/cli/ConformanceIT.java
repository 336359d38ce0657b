package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.cli.conformance.ConformanceKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tasker conformance} against the two workers this project ships, in both encodings: every
 * scenario must pass. The Ruby worker needs Ruby with ffi-rzmq, concurrent-ruby and
 * google-protobuf; {@code ./tasker test} installs them.
 */
class ConformanceIT {

  private static final Path RUBY_WORKER = Path.of("..", "ruby-worker").toAbsolutePath().normalize();
  private static final List<String> BOTH = List.of("json", "protobuf");

  private static final List<String> JAVA_WORKER = List.of(ProcessHandle.current().info().command().orElse("java"),
      "-cp", System.getProperty("java.class.path"), TaskerCli.class.getName(), "worker", "--handlers", "conformance");
  private static final List<String> RUBY = List.of("ruby", RUBY_WORKER.resolve("bin/tasker-worker").toString(),
      "--require", RUBY_WORKER.resolve("examples/conformance.rb").toString());

  private static String run(List<String> command, String name) {
    return run(command, name, false);
  }

  private static String run(List<String> command, String name, boolean curve) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    boolean passed = new ConformanceKit(command, name, Path.of("target", "conformance", name + (curve ? "-curve" : "")),
        out).curve(curve).run(ConformanceKit.ORDER, BOTH);
    String output = captured.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    assertThat(passed).as(output).isTrue();
    return output;
  }

  private static void assertEveryScenarioPassedInBothEncodings(String output, String name) {
    assertEveryScenarioPassedInBothEncodings(output, name, ConformanceKit.ORDER);
  }

  private static void assertEveryScenarioPassedInBothEncodings(String output, String name, List<String> scenarios) {
    for (String encoding : BOTH) {
      for (String scenario : scenarios) {
        assertThat(output).contains("conformance: worker=" + name + "/" + encoding + " scenario=" + scenario
            + " result=pass");
      }
    }
    int total = scenarios.size() * BOTH.size();
    assertThat(output).contains("conformance: total=" + total + " passed=" + total + " failed=0");
  }

  @Test
  void the_java_worker_passes_every_scenario_in_both_encodings() {
    assertEveryScenarioPassedInBothEncodings(run(JAVA_WORKER, "java"), "java");
  }

  @Test
  void the_ruby_worker_passes_every_scenario_in_both_encodings() {
    assertEveryScenarioPassedInBothEncodings(run(RUBY, "ruby"), "ruby");
  }

  private static final List<String> WITH_CURVE = java.util.stream.Stream.concat(ConformanceKit.ORDER.stream(),
      java.util.stream.Stream.of(ConformanceKit.CURVE_UNKNOWN_KEY)).toList();

  @Test
  void the_java_worker_passes_every_scenario_over_curve_and_gets_nothing_with_an_unknown_key() {
    assertEveryScenarioPassedInBothEncodings(run(JAVA_WORKER, "java", true), "java", WITH_CURVE);
  }

  @Test
  void the_ruby_worker_passes_every_scenario_over_curve_and_gets_nothing_with_an_unknown_key() {
    assertEveryScenarioPassedInBothEncodings(run(RUBY, "ruby", true), "ruby", WITH_CURVE);
  }
}
