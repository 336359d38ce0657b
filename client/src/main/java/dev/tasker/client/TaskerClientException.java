package dev.tasker.client;

/**
 * The root of the client's exceptions, all unchecked: {@link TaskerApiException} when the API
 * answered with an error, {@link TaskerUnreachableException} when no answer came.
 */
public class TaskerClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with {@code message} and the {@code cause}, which may be {@code null}. */
  public TaskerClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
