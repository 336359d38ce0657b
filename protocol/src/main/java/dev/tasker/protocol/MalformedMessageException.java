package dev.tasker.protocol;

/**
 * A message that cannot be accepted as it is: wrong frames, unknown type, undecodable body, a
 * missing or invalid field, or a body that is too large. {@link #code()} tells which.
 */
public final class MalformedMessageException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  /** See {@link ProtocolException#ProtocolException}. */
  public MalformedMessageException(
      ErrorCode code, String message, String messageType, Throwable cause) {
    super(code, message, messageType, cause);
  }
}
