package dev.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.internal.ApiJson;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A task with its steps and edges, as {@code GET /v1/tasks/{task_id}} answers.
 *
 * @param taskId the task's id
 * @param template {@code namespace/name:version}
 * @param namespace the template's namespace
 * @param name the template's name
 * @param version the template's version
 * @param state {@code pending}, {@code in_progress}, {@code complete}, {@code error} or {@code
 *     cancelled}
 * @param context the task's input
 * @param priority higher runs first
 * @param initiator who asked for it, or {@code null}
 * @param sourceSystem the system that asked, or {@code null}
 * @param reason why, or {@code null}
 * @param createdAt when it was created
 * @param completedAt when it finished, else {@code null}
 * @param totalSteps how many steps it has
 * @param doneSteps how many of them are done (complete, resolved or cancelled)
 * @param steps its steps
 * @param edges its dependencies, parent to child
 */
public record Task(
    UUID taskId,
    String template,
    String namespace,
    String name,
    String version,
    String state,
    JsonNode context,
    int priority,
    String initiator,
    String sourceSystem,
    String reason,
    Instant createdAt,
    Instant completedAt,
    int totalSteps,
    int doneSteps,
    List<Step> steps,
    List<Edge> edges) {

  /** The task states in which nothing more happens to a task without an operator. */
  public static final Set<String> FINISHED_STATES = Set.of("complete", "error", "cancelled");

  /** A JSON null context becomes {@code null}; lists absent from the answer become empty lists. */
  public Task {
    context = ApiJson.orNull(context);
    steps = steps == null ? List.of() : List.copyOf(steps);
    edges = edges == null ? List.of() : List.copyOf(edges);
  }

  /** Whether the task is complete, in error or cancelled. */
  public boolean finished() {
    return FINISHED_STATES.contains(state);
  }

  /** The step called {@code name}. */
  public Optional<Step> step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /**
   * A dependency between two steps of a task.
   *
   * @param from the parent step's name
   * @param to the child step's name, which waits for the parent
   */
  public record Edge(String from, String to) {}
}
