package dev.tasker.orchestrator;

/** Root of the orchestrator module's exceptions. */
public class TaskerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, naming the task, step, template or setting involved */
  public TaskerException(String message) {
    super(message);
  }

  /** @param message what went wrong, naming the task, step, template or setting involved */
  public TaskerException(String message, Throwable cause) {
    super(message, cause);
  }
}
