package dev.tasker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker resolve-step}: supply a step's output by hand. */
@Command(name = "resolve-step", mixinStandardHelpOptions = true,
    description = {"Resolve a pending, waiting or failed step by hand.",
        "It takes the --output given; its dependents then run as if it had completed."})
final class ResolveStepCommand implements Callable<Integer> {

  @Option(names = "--step", required = true, description = "The step's id.")
  UUID stepId;

  @Option(names = "--output", defaultValue = "{}", description = "The step's output as JSON (default: {}).")
  String output;

  @Override
  public Integer call() throws Exception {
    Object value = new ObjectMapper().readTree(output);
    try (OperatorClient operator = new OperatorClient("tasker resolve-step")) {
      operator.client.resolveStep(stepId, value, OperatorClient.operator());
      System.out.println("resolve-step: step=" + stepId + " is resolved_manually");
      return 0;
    }
  }
}
