package dev.tasker.protocol;

/**
 * Encodes message bodies. Implementations are stateless and thread-safe. JSON ({@link JsonCodec})
 * is the encoding every peer supports; a session may negotiate another in HELLO/WELCOME.
 */
public interface MessageCodec {

  /** The encoding's name as used in HELLO and WELCOME, for example {@code json}. */
  String encoding();

  /** Encodes {@code message}'s body. */
  byte[] encode(Message message);

  /**
   * Decodes a body of the given type.
   *
   * @throws MalformedMessageException naming the offending field when the body is not a valid
   *     message of that type
   */
  Message decode(MessageType type, byte[] body);
}
