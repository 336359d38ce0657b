package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tasker bench}, scaled down: it runs both phases and prints its line. */
class BenchIT {

  @Test
  void a_small_bench_prints_one_figures_line() {
    DatabaseSettings database = TestDatabases.freshDatabase();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exitCode;
    try {
      exitCode = new CommandLine(new TaskerCli()).execute("bench", "--single", "200", "--linear", "20",
          "--database-url", database.jdbcUrl());
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);

    assertThat(exitCode).isZero();
    assertThat(output.lines().filter(l -> l.startsWith("bench: steps=")).toList())
        .singleElement()
        .asString()
        .matches("bench: steps=280 steps_per_s=[0-9.]+ hop_p50_ms=[0-9.]+ hop_p99_ms=[0-9.]+ create_p50_ms=[0-9.]+");
  }
}
