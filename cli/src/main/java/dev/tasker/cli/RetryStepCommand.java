package dev.tasker.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import dev.tasker.orchestrator.TemplateRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tasker retry-step}: fresh attempts for a failed step. */
@Command(name = "retry-step", mixinStandardHelpOptions = true,
    description = {"Give a step in error (a dead letter) a fresh set of attempts.",
        "Its task, if in error, is in progress again."})
final class RetryStepCommand implements Callable<Integer> {

  @Option(names = "--step", required = true, description = "The step's id.")
  UUID stepId;

  @Mixin ApiOptions api;

  @Override
  public Integer call() {
    try (TaskerAccess tasker = TaskerAccess.open(api, "tasker retry-step", TemplateRegistry.empty())) {
      tasker.retryStep(stepId);
      System.out.println("retry-step: step=" + stepId + " is pending again");
      return 0;
    }
  }
}
