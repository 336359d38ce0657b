package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tasker bench}, scaled down: every phase runs, every step completes, the lines are printed. */
class BenchIT {

  @Test
  void a_small_bench_runs_every_phase_and_prints_the_summary_line() {
    String output = bench("--warm-up", "200", "--creates", "20", "--single", "300", "--dag", "50", "--latency", "5");

    assertThat(lines(output, "bench: phase=")).extracting(l -> l.split(" ")[1])
        .containsExactly("phase=warm_up", "phase=create", "phase=drain_single", "phase=drain_dag", "phase=saturation",
            "phase=latency");
    // 20 created by the client, 20 through the HTTP API, 300 in bulk.
    assertThat(lines(output, "bench: phase=create")).singleElement().asString()
        .matches(".* api_create_p50_ms=[0-9.]+ api_create_p99_ms=[0-9.]+ .*");
    assertThat(lines(output, "bench: phase=drain_single")).singleElement().asString()
        .contains("tasks=340 steps=340 ").contains("not_complete=0");
    assertThat(lines(output, "bench: phase=drain_dag")).singleElement().asString()
        .contains("tasks=50 steps=200 ").contains("not_complete=0");
    assertThat(lines(output, "bench: phase=saturation")).singleElement().asString().contains("hops=150 ");
    assertThat(lines(output, "bench: drain_single_steps_per_s=")).singleElement().asString()
        .matches("bench: drain_single_steps_per_s=\\d+ drain_dag_steps_per_s=\\d+ hop_p50_ms=[0-9.]+ hop_p99_ms=[0-9.]+"
            + " task4_p50_ms=[0-9.]+ create_p50_ms=[0-9.]+ api_create_p50_ms=[0-9.]+ bulk_create_per_s=\\d+"
            + " saturation_hop_p50_ms=[0-9.]+");
  }

  @Test
  void a_backlog_run_prints_the_rate_of_each_tenth_of_it() {
    String output = bench("--warm-up", "0", "--backlog", "500");

    assertThat(lines(output, "bench: phase=backlog")).singleElement().asString()
        .contains("steps=500 ").contains("not_complete=0").matches(".*steps_per_s_by_tenth=(\\d+,){9}\\d+$");
    assertThat(lines(output, "bench: backlog_steps=")).singleElement().asString()
        .matches("bench: backlog_steps=500 backlog_steps_per_s=\\d+ first_tenth_steps_per_s=\\d+"
            + " last_tenth_steps_per_s=\\d+ last_to_first=[0-9.]+");
  }

  private static String bench(String... options) {
    DatabaseSettings database = TestDatabases.freshDatabase();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exitCode;
    try {
      String[] arguments = new String[options.length + 3];
      arguments[0] = "bench";
      System.arraycopy(options, 0, arguments, 1, options.length);
      arguments[options.length + 1] = "--database-url";
      arguments[options.length + 2] = database.jdbcUrl();
      exitCode = new CommandLine(new TaskerCli()).execute(arguments);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exitCode).isZero();
    return output;
  }

  private static List<String> lines(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).toList();
  }
}
