package dev.tasker.orchestrator;

import java.util.UUID;

/**
 * The result of {@link TaskerClient#initializeTask}.
 *
 * @param taskId the task's id
 * @param created {@code false} when an identical task existed and was returned instead
 * @param stepCount how many steps the task has
 * @param template the template's full name, {@code namespace/name:version}
 */
public record CreatedTask(UUID taskId, boolean created, int stepCount, String template) {}
