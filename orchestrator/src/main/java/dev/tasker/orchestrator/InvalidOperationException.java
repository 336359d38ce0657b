package dev.tasker.orchestrator;

/**
 * An operator action does not apply to the step or task in its current state, or names one that
 * does not exist. Nothing was changed.
 */
public final class InvalidOperationException extends TaskerException {

  private static final long serialVersionUID = 1L;

  private final boolean missing;

  /** @param message names the step or task, its state and what the action needs */
  public InvalidOperationException(String message) {
    this(message, false);
  }

  private InvalidOperationException(String message, boolean missing) {
    super(message);
    this.missing = missing;
  }

  /** The action names a step or task that does not exist: {@code what} is "task 0193…". */
  public static InvalidOperationException noSuch(String what) {
    return new InvalidOperationException("no " + what, true);
  }

  /** Whether the step or task named does not exist (rather than being in the wrong state). */
  public boolean isMissing() {
    return missing;
  }
}
