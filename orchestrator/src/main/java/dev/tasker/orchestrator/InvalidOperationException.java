package dev.tasker.orchestrator;

/**
 * An operator action does not apply to the step or task in its current state, or names one that
 * does not exist. Nothing was changed.
 */
public final class InvalidOperationException extends TaskerException {

  private static final long serialVersionUID = 1L;

  /** @param message names the step or task, its state and what the action needs */
  public InvalidOperationException(String message) {
    super(message);
  }
}
