package dev.tasker.client;

/**
 * No answer came from the API: the connection was refused or cut, or the connect or request
 * timeout passed. The request may or may not have been carried out; creating a task again with the
 * same idempotency key (or the same template and context) is safe, as the API returns the task
 * created the first time.
 */
public final class TaskerUnreachableException extends TaskerClientException {

  private static final long serialVersionUID = 1L;

  /** An exception naming the request that got no answer, with the I/O failure as cause. */
  public TaskerUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
