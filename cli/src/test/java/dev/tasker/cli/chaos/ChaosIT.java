package dev.tasker.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every chaos scenario against real processes (orchestrator processes, two worker processes,
 * PostgreSQL, network namespaces): nothing lost, nothing applied twice.
 */
class ChaosIT {

  private static final Pattern LINE = Pattern.compile(
      "chaos: scenario=(\\w+) tasks=(\\d+) complete=(\\d+) lost=(\\d+) double_applied=(\\d+) recovery_ms=(-?\\d+)");

  private static boolean passed;
  private static List<String> lines;
  private static String output;

  @BeforeAll
  static void runEveryScenario() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    passed = ChaosRunner.run(ChaosScenarios.ALL, 30, new PrintStream(captured, true, StandardCharsets.UTF_8));
    output = captured.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    lines = output.lines().filter(line -> LINE.matcher(line).matches()).toList();
  }

  private static Matcher scenario(String name) {
    return lines.stream().map(LINE::matcher).filter(Matcher::matches).filter(m -> m.group(1).equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no result line for scenario " + name + " in:\n" + output));
  }

  @Test
  void every_scenario_prints_its_line_and_the_run_passes() {
    assertThat(lines).as(output).extracting(line -> line.split(" ")[1]).containsExactlyElementsOf(
        ChaosScenarios.ALL.stream().map(name -> "scenario=" + name).toList());
    assertThat(passed).as(output).isTrue();
  }

  @Test
  void no_scenario_loses_a_task_or_applies_a_completion_twice() {
    for (String name : ChaosScenarios.ALL) {
      Matcher line = scenario(name);
      assertThat(line.group(4)).as("lost in %s", name).isEqualTo("0");
      assertThat(line.group(5)).as("double_applied in %s", name).isEqualTo("0");
      assertThat(line.group(3)).as("complete in %s", name).isEqualTo(line.group(2));
    }
  }

  @Test
  void a_killed_workers_steps_run_again_within_five_seconds() {
    assertThat(Long.parseLong(scenario("worker_kill").group(6))).isBetween(0L, 5000L);
  }

  @Test
  void a_partitioned_workers_steps_run_elsewhere_before_its_link_heals() {
    assertThat(Long.parseLong(scenario("partition_worker").group(6)))
        .isBetween(0L, ChaosScenarios.PARTITION.toMillis());
  }

  @Test
  void a_partitioned_worker_registers_again_and_its_kept_results_are_refused() {
    assertThat(output).contains("chaos: scenario=partition_worker note: registered again")
        .containsPattern("chaos: scenario=partition_worker note: results \\S+ kept through the partition and sent"
            + " after the heal, by outcome: .*rejected=[1-9]");
  }

  @Test
  void when_one_of_two_orchestrators_dies_the_survivor_recovers_its_steps_in_flight_within_five_seconds() {
    assertThat(Long.parseLong(scenario("orchestrator_failover").group(6)))
        .isBetween(0L, OrchestratorFailover.MAX_RECOVERY_MS);
    assertThat(output).containsPattern("chaos: scenario=orchestrator_failover note: killed orchestrator-1 \\(bound on"
        + " tcp://127\\.0\\.0\\.1:\\d+\\) with [1-9]\\d* steps")
        .containsPattern("chaos: scenario=orchestrator_failover note: recovery: .* first batch the survivor created after"
            + " the kill: \\d+ ms");
  }

  @Test
  void a_hung_attempt_is_retried_soon_after_its_timeout() {
    assertThat(Long.parseLong(scenario("hung_handler").group(6))).isBetween(0L, 5000L);
  }

  @Test
  void work_resumes_after_an_orchestrator_crash_and_a_database_restart() {
    assertThat(Long.parseLong(scenario("orchestrator_kill").group(6))).isBetween(0L, 30_000L);
    assertThat(Long.parseLong(scenario("postgres_restart").group(6))).isBetween(0L, 30_000L);
  }
}
