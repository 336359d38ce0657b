package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.client.CreatedTask;
import dev.tasker.client.NewTask;
import dev.tasker.client.Task;
import dev.tasker.orchestrator.TemplateRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tasker submit}: creates tasks in the database named by TASKER_DATABASE_URL, or through
 * the HTTP API with {@code --api}. Its
 * {@code --version} is the template's version, as in a template's namespace, name and version, so
 * it declares {@code --help} itself instead of the standard help options (they clash with it on
 * {@code --version}; picocli left them out, and {@code --help} failed).
 */
@Command(
    name = "submit",
    description = {
      "Create tasks from a template.",
      "The orchestrator (any process on the same database) is notified at once.",
      "Templates come from --templates, else from those an orchestrator stored in the database.",
      "With --api URL (or TASKER_API_URL) it goes through an orchestrator's HTTP API instead."
    })
final class SubmitCommand implements Callable<Integer> {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--namespace", required = true, description = "Template namespace.")
  String namespace;

  @Option(names = "--name", required = true, description = "Template name.")
  String name;

  @Option(names = "--version", description = "Template version (default: the newest).")
  String version;

  @Option(names = "--context", description = "Task context as JSON (default: {}).")
  String context;

  @Option(names = "--context-file", description = "File holding the task context as JSON.")
  Path contextFile;

  @Option(names = "--count", defaultValue = "1",
      description = "How many tasks; more than one are distinct tasks with the same context (default: 1).")
  int count;

  @Option(names = "--priority", defaultValue = "0", description = "Priority; higher runs first (default: 0).")
  int priority;

  @Option(names = "--templates", description = "Directory of templates to read.")
  Path templates;

  @Option(names = "--wait-seconds", defaultValue = "0",
      description = "Wait up to this long for the tasks to finish and print their states (default: 0, do not wait).")
  long waitSeconds;

  @Mixin ApiOptions api;

  @Override
  public Integer call() throws Exception {
    if (api.enabled() && templates != null) {
      throw new IllegalArgumentException("--templates cannot be used with --api: through the API, tasks are created"
          + " from the templates the orchestrators know");
    }
    JsonNode contextJson;
    try {
      contextJson = new ObjectMapper().readTree(
          contextFile != null ? Files.readString(contextFile) : context == null ? "{}" : context);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException((contextFile != null ? "--context-file " + contextFile : "--context")
          + " is not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    }
    TemplateRegistry registry = templates == null ? TemplateRegistry.empty() : TemplateRegistry.fromDirectory(templates, null);
    try (TaskerAccess tasker = TaskerAccess.open(api, "tasker submit", registry)) {
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        NewTask.Builder request =
            NewTask.builder(namespace, name).version(version).context(contextJson).priority(priority)
                .initiator("cli:submit");
        if (count > 1) {
          request.idempotencyKey("submit-" + UUID.randomUUID());
        }
        CreatedTask created = tasker.createTask(request.build());
        ids.add(created.taskId());
        System.out.println("submit: task=" + created.taskId() + " template=" + created.template()
            + " steps=" + created.stepCount() + (created.created() ? "" : " (existing task: same template and context)"));
      }
      if (waitSeconds > 0) {
        boolean finished = tasker.awaitFinished(ids, Duration.ofSeconds(waitSeconds), Duration.ofMillis(200));
        for (UUID id : ids) {
          Task task = tasker.task(id).orElseThrow();
          System.out.println("submit: task=" + id + " state=" + task.state());
        }
        return finished ? 0 : 1;
      }
      return 0;
    }
  }
}
