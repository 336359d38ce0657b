package dev.tasker.client;

import java.util.UUID;

/**
 * The answer to creating a task.
 *
 * @param taskId the task's id (a UUIDv7)
 * @param created {@code false} when the same task (same template and context, or the same
 *     idempotency key) existed and was returned instead
 * @param stepCount how many steps the task has
 * @param template the template's full name, {@code namespace/name:version}
 */
public record CreatedTask(UUID taskId, boolean created, int stepCount, String template) {}
