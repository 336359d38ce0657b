package dev.tasker.orchestrator;

import java.util.Locale;

/**
 * What kind of step a template step is, as upstream Tasker's templates write it ({@code type:}).
 * Steps of the kinds that create other steps at run time, and the steps they create, are described
 * in docs/templates.md.
 */
public enum StepType {
  /** Runs its handler; created with the task unless it descends from a decision or batch worker. */
  STANDARD,
  /** Its handler chooses which of its declared downstream steps to create (possibly none). */
  DECISION,
  /**
   * Depends on the intersection of its declared dependencies and the steps actually created; created
   * when the first of them is.
   */
  DEFERRED_CONVERGENCE,
  /** Its handler returns a batch plan: how many batch workers to create, with a cursor each. */
  BATCHABLE,
  /** A template for the workers a batchable step creates; never created as itself. */
  BATCH_WORKER;

  /** The template and database form: {@code standard}, {@code decision}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the template form.
   *
   * @throws IllegalArgumentException naming the accepted values, for anything else
   */
  public static StepType fromWireName(String name) {
    for (StepType type : values()) {
      if (type.wireName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("step type '" + name + "' is not one of standard, decision,"
        + " deferred_convergence, batchable, batch_worker");
  }
}
