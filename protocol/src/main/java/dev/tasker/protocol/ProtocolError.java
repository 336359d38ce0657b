package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Both ways: the peer's message was not accepted (the {@code ERROR} message type). The receiver of
 * an ERROR logs it; it never answers an ERROR with an ERROR.
 *
 * @param code what kind of problem
 * @param message human-readable description naming the offending frame or field
 * @param messageType the type of the refused message, when it could be read
 * @param supportedVersions the versions the sender speaks, with {@code unsupported_version}
 */
public record ProtocolError(
    @JsonProperty(required = true) ErrorCode code,
    @JsonProperty(required = true) String message,
    String messageType,
    List<String> supportedVersions)
    implements Message {

  /** Validates and copies the fields. */
  public ProtocolError {
    Checks.required(code, "code");
    Checks.required(message, "message");
    supportedVersions =
        supportedVersions == null ? null : Checks.copyOf(supportedVersions, "supported_versions");
  }

  /** An error for {@code exception}, naming the refused message type when known. */
  public static ProtocolError of(ProtocolException exception) {
    return new ProtocolError(
        exception.code(),
        exception.getMessage(),
        exception.messageType(),
        exception.code() == ErrorCode.UNSUPPORTED_VERSION ? ProtocolVersion.SUPPORTED : null);
  }

  @Override
  public MessageType type() {
    return MessageType.ERROR;
  }
}
