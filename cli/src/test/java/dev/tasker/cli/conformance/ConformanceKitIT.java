package dev.tasker.cli.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A mutation test of the conformance kit: it runs the kit against {@link FaultyWorker} processes
 * over real TCP. Without a fault the worker passes every scenario in both encodings; with each
 * fault the scenario that checks the broken behaviour fails with a detail naming it.
 */
class ConformanceKitIT {

  private static final Path LOGS = Path.of("target", "conformance-kit-it");

  /** Each fault, the scenario that must catch it, the encoding to run it in and the detail expected. */
  static Stream<Arguments> faultsTheKitCatches() {
    return Stream.of(
        arguments("wrong-sequence", "sequence_numbers", "json",
            "partial results arrived with sequence numbers [1, 1, 2, 3, 4]"),
        arguments("no-heartbeat", "heartbeats", "protobuf", "only 0 HEARTBEATs"),
        arguments("exceed-credit", "credit", "json", "with a credit of 4 when 8 were sent at once"),
        arguments("serial-steps", "credit", "protobuf", "ran one at a time"),
        arguments("retryable-unknown-handler", "unknown_handler", "json",
            "an unknown handler was reported retryable"),
        arguments("raise-permanent", "step_errors", "protobuf", "raise: an exception must be a retryable failure"),
        arguments("echo-changes-numbers", "payload_fidelity", "json",
            "the echo came back changed: output.task_context.int64_max: expected 9223372036854775807 but was"
                + " 9223372036854775808"),
        arguments("completion-before-partials", "batch_completion", "protobuf",
            "1 partial results arrived after the batch completion"),
        arguments("completion-miscounts", "batch_completion", "json", "completed_steps 4, expected 2"),
        arguments("completed-at-per-summary", "batch_completion", "json",
            "unreadable BATCH_COMPLETION (BATCH_COMPLETION: required field completed_at is missing)"),
        arguments("answer-error-with-error", "malformed_messages", "protobuf", "the worker answered the kit's ERROR"),
        arguments("ignore-bad-version", "unsupported_version", "json", "no answer within 5 s to tasker/99 message"),
        arguments("no-drain", "drain_on_sigterm", "protobuf", "no GOODBYE within 3 s of SIGTERM"),
        arguments("exit-nonzero-after-drain", "drain_on_sigterm", "json",
            "the worker exited with status 1 after a clean drain, expected 0"),
        arguments("no-resend", "acknowledgement", "protobuf", "after re-registration the worker sent []"),
        arguments("ignore-ack", "acknowledgement", "json",
            "after re-registration the worker sent [quick, slow, completion]"),
        arguments("forget-after-goodbye", "goodbye_reregister", "json",
            "results for 0 of 2 steps, 0 of 1 batch completions"),
        arguments("no-reregister-after-goodbye", "goodbye_reregister", "protobuf",
            "no HELLO within 10 s of the orchestrator's GOODBYE"),
        arguments("exit-zero-on-reject", "version_negotiation", "json",
            "the worker exited with status 0 after REJECT"),
        arguments("global-sequence", "sequence_numbers", "json",
            "the second batch's partial results arrived with sequence numbers"),
        arguments("resend-completion-first", "acknowledgement", "json",
            "after re-registration the worker sent [completion]"),
        arguments("ignore-partial-acks", "acknowledgement", "protobuf",
            "after re-registration the worker sent [quick, slow, completion]"),
        arguments("drain-without-waiting", "drain_on_sigterm", "json",
            "the worker exited before its results were acknowledged"),
        arguments("drain-drops-new-batches", "drain_on_sigterm", "protobuf", "results for 3 of 4 steps"),
        arguments("no-liveness-check", "heartbeats", "json", "the worker did not register again"));
  }

  @Test
  void a_worker_without_faults_passes_every_scenario_in_both_encodings() {
    KitRun run = KitRun.of("none", ConformanceKit.scenarioNames(), List.of("json", "protobuf"));
    int scenarios = 2 * ConformanceKit.scenarioNames().size();

    assertThat(run.scenarioLines()).as(run.output()).hasSize(scenarios)
        .allSatisfy(line -> assertThat(line).contains(" result=pass "));
    assertThat(run.output()).contains("conformance: total=" + scenarios + " passed=" + scenarios + " failed=0");
    assertThat(run.passed()).as(run.output()).isTrue();
  }

  @Test
  void a_worker_offering_only_json_passes_with_its_protobuf_scenarios_skipped() {
    KitRun run = KitRun.of("none", List.of("--encodings", "json"), "json-only",
        List.of("version_negotiation", "credit"), List.of("json", "protobuf"));

    assertThat(run.scenarioLines()).as(run.output()).hasSize(4);
    assertThat(run.scenarioLines()).filteredOn(line -> line.contains("/json "))
        .hasSize(2).allSatisfy(line -> assertThat(line).contains(" result=pass "));
    assertThat(run.scenarioLines()).filteredOn(line -> line.contains("/protobuf "))
        .hasSize(2).allSatisfy(line -> assertThat(line)
            .contains(" result=skip protobuf not offered by the worker (HELLO.encodings [json])"));
    assertThat(run.output()).contains(
        "conformance: total=4 passed=2 failed=0 skipped=2 (protobuf not offered by the worker)");
    assertThat(run.passed()).as(run.output()).isTrue();
  }

  @Test
  void a_worker_that_offers_protobuf_and_breaks_it_still_fails() {
    KitRun run = KitRun.of("no-heartbeat", List.of(), "no-heartbeat-both", List.of("heartbeats"),
        List.of("json", "protobuf"));

    assertThat(run.scenarioLines()).as(run.output()).hasSize(2)
        .allSatisfy(line -> assertThat(line).contains(" result=fail "));
    assertThat(run.output()).contains("conformance: total=2 passed=0 failed=2 ").doesNotContain("skip");
    assertThat(run.passed()).isFalse();
  }

  @ParameterizedTest(name = "{0} fails {1} ({2})")
  @MethodSource("faultsTheKitCatches")
  void a_worker_with_a_fault_fails_the_scenario_that_checks_that_behaviour(String fault, String scenario,
      String encoding, String detail) {
    KitRun run = KitRun.of(fault, List.of(scenario), List.of(encoding));

    assertThat(run.scenarioLines()).as(run.output()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("conformance: worker=faulty-" + fault + "/" + encoding + " scenario=" + scenario + " result=fail ")
        .contains(detail));
    assertThat(run.passed()).as(run.output()).isFalse();
  }

  /** What one run of the kit printed and returned. */
  private record KitRun(boolean passed, String output) {

    static KitRun of(String fault, List<String> scenarios, List<String> encodings) {
      return of(fault, List.of(), fault, scenarios, encodings);
    }

    /** @param workerArguments more arguments for {@link FaultyWorker} */
    static KitRun of(String fault, List<String> workerArguments, String logs, List<String> scenarios,
        List<String> encodings) {
      List<String> command = new ArrayList<>(workerCommand(fault));
      command.addAll(workerArguments);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      boolean passed;
      try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
        passed = new ConformanceKit(command, "faulty-" + fault, LOGS.resolve(logs), out)
            .run(scenarios, encodings);
      }
      String output = printed.toString(StandardCharsets.UTF_8);
      System.out.print(output);
      return new KitRun(passed, output);
    }

    private static List<String> workerCommand(String fault) {
      String java = ProcessHandle.current().info().command().orElse("java");
      return List.of(java, "-cp", System.getProperty("java.class.path"), FaultyWorker.class.getName(),
          "--fault", fault);
    }

    List<String> scenarioLines() {
      return output.lines().filter(line -> line.startsWith("conformance: worker=")).toList();
    }
  }
}
