package dev.tasker.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker cancel-task}: stop a task. */
@Command(name = "cancel-task", mixinStandardHelpOptions = true,
    description = {"Cancel a task and its unfinished steps.", "Results that arrive later for them are refused."})
final class CancelTaskCommand implements Callable<Integer> {

  @Option(names = "--task", required = true, description = "The task's id.")
  UUID taskId;

  @Override
  public Integer call() {
    try (OperatorClient operator = new OperatorClient("tasker cancel-task")) {
      operator.client.cancelTask(taskId, OperatorClient.operator());
      System.out.println("cancel-task: task=" + taskId + " is cancelled");
      return 0;
    }
  }
}
