package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A task and its steps as stored.
 *
 * @param taskId the task's id
 * @param template {@code namespace/name:version}
 * @param state the task's state
 * @param context the task's input
 * @param createdAt when it was created
 * @param completedAt when it reached complete or error, else {@code null}
 * @param steps its steps, in creation order
 */
public record TaskSnapshot(
    UUID taskId,
    String template,
    TaskState state,
    JsonNode context,
    Instant createdAt,
    Instant completedAt,
    List<StepSnapshot> steps) {

  /** The step called {@code name}. */
  public Optional<StepSnapshot> step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
