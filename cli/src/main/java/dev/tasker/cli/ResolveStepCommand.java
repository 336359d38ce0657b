package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.TemplateRegistry;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ApiOptions api;

  @Override
  public Integer call() throws Exception {
    JsonNode value = new ObjectMapper().readTree(output);
    try (TaskerAccess tasker = TaskerAccess.open(api, "tasker resolve-step", TemplateRegistry.empty())) {
      tasker.resolveStep(stepId, value);
      System.out.println("resolve-step: step=" + stepId + " is resolved_manually");
      return 0;
    }
  }
}
