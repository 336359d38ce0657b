package dev.tasker.cli;

import dev.tasker.client.DeadLetter;
import dev.tasker.orchestrator.TemplateRegistry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tasker dead-letters}: steps that failed for good. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = {"List steps that failed for good (dead letters).",
        "Open ones only; --all for every one. Act on one with tasker retry-step or tasker resolve-step."})
final class DeadLettersCommand implements Callable<Integer> {

  @Option(names = "--all", description = "Include dead letters an operator has acted on.")
  boolean all;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin ApiOptions api;

  @Override
  public Integer call() {
    try (TaskerAccess tasker = TaskerAccess.open(api, "tasker dead-letters", TemplateRegistry.empty())) {
      List<DeadLetter> letters = tasker.deadLetters(!all, limit);
      for (DeadLetter letter : letters) {
        System.out.println("dead-letter: step=" + letter.stepId() + " task=" + letter.taskId() + " name="
            + letter.stepName() + " reason=" + letter.reason() + " attempts=" + letter.attempts()
            + " at=" + letter.createdAt()
            + (letter.resolvedAt() == null ? "" : " resolved=" + letter.resolution() + "@" + letter.resolvedAt())
            + " error=" + (letter.lastError() == null ? "" : letter.lastError().path("error_type").asText()
                + ": " + letter.lastError().path("message").asText()));
      }
      System.out.println("dead-letters: " + letters.size() + (all ? "" : " open"));
      return 0;
    }
  }
}
