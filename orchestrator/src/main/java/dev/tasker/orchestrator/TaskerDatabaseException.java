package dev.tasker.orchestrator;

/** A database operation failed; the message names the operation. Stored state is unchanged. */
public final class TaskerDatabaseException extends TaskerException {

  private static final long serialVersionUID = 1L;

  /** @param message names the operation that failed */
  public TaskerDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
