package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a peer could not accept a message; carried by {@link ProtocolError}. */
public enum ErrorCode {
  /** The version frame names a protocol or version the receiver does not speak. */
  UNSUPPORTED_VERSION,
  /** The message does not have the expected frames. */
  MALFORMED_FRAMES,
  /** The message-type frame names no known type. */
  UNKNOWN_MESSAGE_TYPE,
  /** The body cannot be decoded or a field is missing, has the wrong type or an invalid value. */
  MALFORMED_BODY,
  /** The message type is never sent in this direction. */
  UNEXPECTED_MESSAGE,
  /** The sender has no session: it must send HELLO first. */
  NOT_REGISTERED,
  /** The body is larger than the receiver accepts. */
  MESSAGE_TOO_LARGE,
  /** Anything else. */
  INTERNAL;

  /** The wire form, lower case, for example {@code malformed_body}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the wire form; an unknown code reads as {@link #INTERNAL}. */
  @JsonCreator
  public static ErrorCode fromWireName(String wireName) {
    for (ErrorCode code : values()) {
      if (code.wireName().equals(wireName)) {
        return code;
      }
    }
    return INTERNAL;
  }
}
