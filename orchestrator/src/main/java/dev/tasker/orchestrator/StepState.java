package dev.tasker.orchestrator;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * States of a workflow step.
 *
 * <pre>
 * pending -> in_progress -> complete
 *                        -> waiting_for_retry -> pending
 *                        -> error
 *                        -> pending            (its batch could not be delivered)
 * </pre>
 *
 * A pending step is ready when all its dependencies are complete or resolved manually.
 */
public enum StepState {
  PENDING,
  IN_PROGRESS,
  WAITING_FOR_RETRY,
  COMPLETE,
  ERROR,
  CANCELLED,
  RESOLVED_MANUALLY;

  private static final Map<StepState, Set<StepState>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(IN_PROGRESS, CANCELLED, RESOLVED_MANUALLY),
          IN_PROGRESS, EnumSet.of(COMPLETE, WAITING_FOR_RETRY, ERROR, PENDING, CANCELLED),
          WAITING_FOR_RETRY, EnumSet.of(PENDING, CANCELLED, RESOLVED_MANUALLY),
          ERROR, EnumSet.of(PENDING, RESOLVED_MANUALLY, CANCELLED),
          COMPLETE, EnumSet.noneOf(StepState.class),
          CANCELLED, EnumSet.noneOf(StepState.class),
          RESOLVED_MANUALLY, EnumSet.noneOf(StepState.class));

  /** The name stored in the database, for example {@code waiting_for_retry}. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the step's output satisfies its dependents. */
  public boolean satisfiesDependents() {
    return this == COMPLETE || this == RESOLVED_MANUALLY;
  }

  /** Whether {@code this -> target} is an allowed transition. */
  public boolean canTransitionTo(StepState target) {
    return ALLOWED.get(this).contains(target);
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalStateException naming both states when the transition is not allowed
   */
  public void requireTransitionTo(StepState target) {
    if (!canTransitionTo(target)) {
      throw new IllegalStateException("step transition " + dbName() + " -> " + target.dbName() + " is not allowed");
    }
  }

  /** Parses a database name. */
  public static StepState fromDbName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
