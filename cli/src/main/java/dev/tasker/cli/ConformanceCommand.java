package dev.tasker.cli;

import dev.tasker.cli.conformance.ConformanceKit;
import dev.tasker.protocol.Encodings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasker conformance}: checks any worker against the protocol, scenario by scenario. */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a worker process speaks the protocol.",
      "Plays the orchestrator against it. The worker command comes after --; it must serve the conformance handlers (see",
      "docs/conformance.md). Its endpoint is in TASKER_ENDPOINT, and {endpoint} in the command is",
      "replaced by it. Each scenario starts a fresh worker process and prints one line:",
      "  conformance: worker=<name>/<encoding> scenario=<name> result=pass|fail|skip <detail>",
      "then a total line. JSON is required, protobuf optional: the protobuf scenarios of a worker",
      "whose HELLO does not offer protobuf are skipped. Exits 0 only when every scenario passes",
      "or is skipped.",
      "With --curve the kit is a CURVE server with keys generated for the run: the worker",
      "gets the kit's public key in TASKER_CURVE_SERVER_KEY and a secret key file the kit",
      "authorizes in TASKER_CURVE_KEY_FILE ({curve_server_key} and {curve_key_file} in the",
      "command are replaced by them), and the check curve_unknown_key starts it with a key",
      "the kit does not authorize: it must attempt the handshake and get nothing.",
      "Examples:",
      "  tasker conformance -- ./tasker worker --handlers conformance",
      "  tasker conformance -- ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/conformance.rb"
    })
final class ConformanceCommand implements Callable<Integer> {

  @Option(names = "--encoding", split = ",", defaultValue = "json,protobuf",
      description = "Encodings to run every scenario in, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> encodings;

  @Option(names = "--scenario", description = "Run only these scenarios (repeatable): ${COMPLETION-CANDIDATES}",
      completionCandidates = ScenarioNames.class)
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--curve", description = "Run over CURVE, and check that a worker with an unknown key gets"
      + " nothing (curve_unknown_key).")
  boolean curve;

  @Option(names = "--name", description = "The worker's name on the output lines (default: its HELLO's language).")
  String name;

  @Option(names = "--logs", defaultValue = ".tasker/conformance",
      description = "Directory for the worker's output, one file per scenario (default: ${DEFAULT-VALUE}).")
  Path logs;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command that starts the worker.")
  List<String> command;

  /** The scenario names, for picocli's help. */
  static final class ScenarioNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ScenarioNames() {
      super(ConformanceKit.ORDER);
    }
  }

  @Override
  public Integer call() {
    for (String encoding : encodings) {
      if (!Encodings.SUPPORTED.contains(encoding)) {
        System.err.println("tasker conformance: --encoding '" + encoding + "' is not an encoding; known: "
            + Encodings.SUPPORTED);
        return 2;
      }
    }
    for (String scenario : scenarios) {
      if (!ConformanceKit.ORDER.contains(scenario)
          && !(curve && scenario.equals(ConformanceKit.CURVE_UNKNOWN_KEY))) {
        System.err.println("tasker conformance: --scenario '" + scenario + "' is not a scenario; known: "
            + ConformanceKit.ORDER + (curve ? " and " + ConformanceKit.CURVE_UNKNOWN_KEY : ""));
        return 2;
      }
    }
    ConformanceKit kit = new ConformanceKit(command, name, logs, System.out).curve(curve);
    return kit.run(scenarios.isEmpty() ? ConformanceKit.ORDER : scenarios, encodings) ? 0 : 1;
  }
}
