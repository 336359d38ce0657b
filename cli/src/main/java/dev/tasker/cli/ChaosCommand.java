package dev.tasker.cli;

import dev.tasker.cli.chaos.ChaosRunner;
import dev.tasker.cli.chaos.ChaosScenarios;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker chaos}: fault scenarios against real processes. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run fault scenarios; check nothing is lost or applied twice.",
      "Each scenario runs real processes, an orchestrator (two in orchestrator_failover)",
      "and two workers, on an embedded PostgreSQL, and prints one line:",
      "  chaos: scenario=<name> tasks=<n> complete=<n> lost=<n> double_applied=<n>",
      "         recovery_ms=<n>",
      "and sometimes notes (chaos: scenario=<name> note: ...).",
      "Exits 0 only when every scenario has lost=0 and double_applied=0 (and a",
      "killed worker's steps ran again within 5 s, a partitioned one's within its",
      "10 s partition, and the steps a killed orchestrator had in flight were",
      "applied or dispatched again by the other within 5 s). partition_worker and",
      "slow_link put workers in a network namespace of their own, and",
      "orchestrator_failover one of its two orchestrators: they need root and",
      "iproute2 (ip, tc) and fail, saying why, without them.",
      "Logs: .tasker/chaos/<scenario>/."
    })
final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--scenario", description = "Run only these (repeatable): ${COMPLETION-CANDIDATES}",
      completionCandidates = Scenarios.class)
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--tasks", defaultValue = "60", description = "Tasks per scenario (default: ${DEFAULT-VALUE}).")
  int tasks;

  /** The scenario names, for picocli's help. */
  static final class Scenarios extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Scenarios() {
      super(ChaosScenarios.ALL);
    }
  }

  @Override
  public Integer call() throws Exception {
    return ChaosRunner.run(scenarios.isEmpty() ? ChaosScenarios.ALL : scenarios, tasks, System.out) ? 0 : 1;
  }
}
