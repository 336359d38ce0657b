package dev.tasker.protocol;

import java.util.List;
import java.util.Set;

/**
 * The body encodings of protocol version 1 and how a session chooses one. A worker lists the
 * encodings it accepts in {@link Hello#encodings()}; the orchestrator picks the first of its own
 * preference that the worker offers and names it in {@link Welcome#encoding()}. JSON is the default
 * and every peer must speak it: HELLO, WELCOME, REJECT and ERROR bodies are always JSON, because
 * they travel before a session exists or may have to be read by a peer whose session is unknown.
 * Stateless and thread-safe.
 */
public final class Encodings {

  /** Every encoding this library speaks, JSON first. */
  public static final List<String> SUPPORTED = List.of(JsonCodec.ENCODING, ProtobufCodec.ENCODING);

  private static final Set<MessageType> ALWAYS_JSON =
      Set.of(MessageType.HELLO, MessageType.WELCOME, MessageType.REJECT, MessageType.ERROR);

  private Encodings() {}

  /**
   * The codec of an encoding.
   *
   * @throws IllegalArgumentException naming the encoding when this library does not speak it
   */
  public static MessageCodec codec(String encoding) {
    if (JsonCodec.ENCODING.equals(encoding)) {
      return JsonCodec.instance();
    }
    if (ProtobufCodec.ENCODING.equals(encoding)) {
      return ProtobufCodec.instance();
    }
    throw new IllegalArgumentException(
        "unknown encoding '" + encoding + "': expected one of " + SUPPORTED);
  }

  /**
   * Chooses a session's encoding: the first of {@code preferred} that the peer also offers.
   *
   * @return the chosen encoding, or {@code null} when there is none in common
   */
  public static String negotiate(List<String> preferred, List<String> offeredByPeer) {
    for (String encoding : preferred) {
      if (offeredByPeer.contains(encoding)) {
        return encoding;
      }
    }
    return null;
  }

  /** Whether a message of {@code type} is JSON whatever the session's encoding. */
  public static boolean alwaysJson(MessageType type) {
    return ALWAYS_JSON.contains(type);
  }

  /** The codec for a message of {@code type} in a session using {@code sessionCodec}. */
  public static MessageCodec codecFor(MessageType type, MessageCodec sessionCodec) {
    return alwaysJson(type) ? JsonCodec.instance() : sessionCodec;
  }
}
