package dev.tasker.orchestrator;

import java.util.Map;

/**
 * How many tasks and steps are in each state.
 *
 * @param tasks tasks per state (states with none are absent)
 * @param steps steps per state (states with none are absent)
 */
public record StateCounts(Map<TaskState, Long> tasks, Map<StepState, Long> steps) {

  /** Copies the maps. */
  public StateCounts {
    tasks = Map.copyOf(tasks);
    steps = Map.copyOf(steps);
  }

  /** Tasks in {@code state}. */
  public long tasksIn(TaskState state) {
    return tasks.getOrDefault(state, 0L);
  }

  /** Steps in {@code state}. */
  public long stepsIn(StepState state) {
    return steps.getOrDefault(state, 0L);
  }

  /** All tasks. */
  public long totalTasks() {
    return tasks.values().stream().mapToLong(Long::longValue).sum();
  }

  /** All steps. */
  public long totalSteps() {
    return steps.values().stream().mapToLong(Long::longValue).sum();
  }
}
