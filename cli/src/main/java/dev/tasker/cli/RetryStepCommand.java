package dev.tasker.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker retry-step}: fresh attempts for a failed step. */
@Command(name = "retry-step", mixinStandardHelpOptions = true,
    description = {"Give a step in error (a dead letter) a fresh set of attempts.",
        "Its task, if in error, is in progress again."})
final class RetryStepCommand implements Callable<Integer> {

  @Option(names = "--step", required = true, description = "The step's id.")
  UUID stepId;

  @Override
  public Integer call() {
    try (OperatorClient operator = new OperatorClient("tasker retry-step")) {
      operator.client.retryStep(stepId, OperatorClient.operator());
      System.out.println("retry-step: step=" + stepId + " is pending again");
      return 0;
    }
  }
}
