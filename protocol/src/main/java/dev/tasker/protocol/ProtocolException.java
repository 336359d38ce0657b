package dev.tasker.protocol;

/**
 * Root of the protocol module's exceptions: a message could not be framed, decoded or accepted.
 * Receivers answer it with a {@link ProtocolError} built by {@link ProtocolError#of} and keep
 * running.
 */
public class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String messageType;

  /**
   * @param code what kind of problem
   * @param message description naming the offending frame or field
   * @param messageType the refused message's type when it could be read, otherwise {@code null}
   * @param cause the underlying exception, or {@code null}
   */
  public ProtocolException(ErrorCode code, String message, String messageType, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.messageType = messageType;
  }

  /** What kind of problem this is. */
  public ErrorCode code() {
    return code;
  }

  /** The refused message's type when it could be read, otherwise {@code null}. */
  public String messageType() {
    return messageType;
  }
}
