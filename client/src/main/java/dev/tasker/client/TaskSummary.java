package dev.tasker.client;

import java.time.Instant;
import java.util.UUID;

/**
 * A task in a list ({@code GET /v1/tasks}): no steps, context or edges.
 *
 * @param taskId the task's id
 * @param template {@code namespace/name:version}
 * @param namespace the template's namespace
 * @param name the template's name
 * @param version the template's version
 * @param state the task's state
 * @param priority higher runs first
 * @param createdAt when it was created
 * @param completedAt when it finished, else {@code null}
 * @param totalSteps how many steps it has
 * @param doneSteps how many of them are done
 */
public record TaskSummary(
    UUID taskId,
    String template,
    String namespace,
    String name,
    String version,
    String state,
    int priority,
    Instant createdAt,
    Instant completedAt,
    int totalSteps,
    int doneSteps) {}
