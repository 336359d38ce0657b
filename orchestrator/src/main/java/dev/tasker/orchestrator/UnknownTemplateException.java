package dev.tasker.orchestrator;

/** A task was requested for a template that is neither loaded nor stored in the database. */
public final class UnknownTemplateException extends TaskerException {

  private static final long serialVersionUID = 1L;

  /** @param message names the namespace, name and version asked for */
  public UnknownTemplateException(String message) {
    super(message);
  }
}
