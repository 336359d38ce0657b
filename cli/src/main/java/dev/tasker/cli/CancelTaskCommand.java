package dev.tasker.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import dev.tasker.orchestrator.TemplateRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tasker cancel-task}: stop a task. */
@Command(name = "cancel-task", mixinStandardHelpOptions = true,
    description = {"Cancel a task and its unfinished steps.", "Results that arrive later for them are refused."})
final class CancelTaskCommand implements Callable<Integer> {

  @Option(names = "--task", required = true, description = "The task's id.")
  UUID taskId;

  @Mixin ApiOptions api;

  @Override
  public Integer call() {
    try (TaskerAccess tasker = TaskerAccess.open(api, "tasker cancel-task", TemplateRegistry.empty())) {
      tasker.cancelTask(taskId);
      System.out.println("cancel-task: task=" + taskId + " is cancelled");
      return 0;
    }
  }
}
