package dev.tasker.orchestrator;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * States of a task. A task is {@code pending} until its first step is dispatched, {@code
 * in_progress} while any step can still make progress, then {@code complete} when every step
 * completed (or was resolved manually) or {@code error} when a step failed for good and nothing
 * else can progress.
 */
public enum TaskState {
  PENDING,
  IN_PROGRESS,
  COMPLETE,
  ERROR,
  CANCELLED;

  private static final Map<TaskState, Set<TaskState>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(IN_PROGRESS, COMPLETE, ERROR, CANCELLED),
          IN_PROGRESS, EnumSet.of(COMPLETE, ERROR, CANCELLED),
          ERROR, EnumSet.of(IN_PROGRESS, CANCELLED),
          COMPLETE, EnumSet.noneOf(TaskState.class),
          CANCELLED, EnumSet.noneOf(TaskState.class));

  /** The name stored in the database, for example {@code in_progress}. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a task in this state is finished. */
  public boolean isTerminal() {
    return this == COMPLETE || this == ERROR || this == CANCELLED;
  }

  /** Whether {@code this -> target} is an allowed transition. */
  public boolean canTransitionTo(TaskState target) {
    return ALLOWED.get(this).contains(target);
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalStateException naming both states when the transition is not allowed
   */
  public void requireTransitionTo(TaskState target) {
    if (!canTransitionTo(target)) {
      throw new IllegalStateException("task transition " + dbName() + " -> " + target.dbName() + " is not allowed");
    }
  }

  /** Parses a database name. */
  public static TaskState fromDbName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
