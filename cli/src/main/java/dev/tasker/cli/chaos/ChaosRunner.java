package dev.tasker.cli.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs chaos scenarios one after another on one embedded PostgreSQL and prints their lines. */
public final class ChaosRunner {

  private static final List<String> TEMPLATES = List.of("chaos/pipeline.yaml", "chaos/hang.yaml");

  private ChaosRunner() {}

  /**
   * @return whether every scenario passed
   */
  public static boolean run(List<String> scenarios, int tasks, PrintStream out) throws Exception {
    for (String scenario : scenarios) {
      if (!ChaosScenarios.ALL.contains(scenario)) {
        throw new IllegalArgumentException("unknown scenario '" + scenario + "'; known: " + ChaosScenarios.ALL);
      }
    }
    Path logs = Path.of(".tasker", "chaos");
    Path templates = writeTemplates();
    List<ChaosResult> results = new ArrayList<>();
    int errors = 0;
    try (ChaosPostgres postgres = ChaosPostgres.start()) {
      ChaosScenarios runner = new ChaosScenarios(postgres, logs, templates, tasks);
      for (String scenario : scenarios) {
        Path trace = logs.resolve(scenario).resolve("error.log");
        Files.deleteIfExists(trace);
        try {
          ChaosResult result = runner.run(scenario);
          results.add(result);
          out.println(result.line());
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          // A scenario that cannot run (no root for a network namespace, say) fails, with the
          // reason; the others still run.
          errors++;
          Files.createDirectories(trace.getParent());
          try (PrintStream file = new PrintStream(trace.toFile(), StandardCharsets.UTF_8)) {
            e.printStackTrace(file);
          }
          out.println("chaos: scenario=" + scenario + " error=" + (e.getMessage() != null ? e.getMessage() : e)
              + " (stack trace: " + trace + ")");
        }
        printNotes(logs.resolve(scenario), scenario, out);
      }
    }
    long failed = results.stream().filter(r -> !r.passed()).count() + errors;
    out.println("chaos: scenarios=" + scenarios.size() + " passed=" + (scenarios.size() - failed) + " failed=" + failed
        + " logs=" + logs);
    return failed == 0;
  }

  private static void printNotes(Path scenarioLogs, String scenario, PrintStream out) throws IOException {
    Path notes = ChaosRun.notesIn(scenarioLogs);
    if (Files.exists(notes)) {
      for (String note : Files.readAllLines(notes)) {
        out.println("chaos: scenario=" + scenario + " note: " + note);
      }
    }
  }

  private static Path writeTemplates() throws IOException {
    Path directory = Files.createTempDirectory("tasker-chaos-templates");
    for (String resource : TEMPLATES) {
      try (InputStream in = ChaosRunner.class.getClassLoader().getResourceAsStream(resource)) {
        Files.write(directory.resolve(Path.of(resource).getFileName()), in.readAllBytes());
      }
    }
    return directory;
  }
}
