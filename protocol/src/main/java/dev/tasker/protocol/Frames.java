package dev.tasker.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Multipart framing. Every message is three frames:
 *
 * <ol>
 *   <li>the version frame, {@code tasker/<version>}, for example {@code tasker/1};
 *   <li>the message-type frame, for example {@code PARTIAL_RESULT};
 *   <li>the body, encoded with the session's encoding (HELLO, WELCOME, REJECT and ERROR are always
 *       JSON; see {@link Encodings}).
 * </ol>
 *
 * A ROUTER socket sees the peer's routing identity as an extra first frame; strip it before calling
 * {@link #parse}. Stateless and thread-safe.
 */
public final class Frames {

  /** Frames in a message (without a routing identity). */
  public static final int FRAME_COUNT = 3;

  /** Default largest body accepted by {@link #parse(List)}, in bytes (16 MiB). */
  public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final int MAX_HEADER_FRAME_BYTES = 64;

  private Frames() {}

  /**
   * Frames {@code message} for protocol version {@link ProtocolVersion#CURRENT} in a session using
   * {@code sessionCodec}; HELLO, WELCOME, REJECT and ERROR are always JSON (see {@link Encodings}).
   */
  public static List<byte[]> encode(Message message, MessageCodec sessionCodec) {
    return List.of(
        ProtocolVersion.frameFor(ProtocolVersion.CURRENT).getBytes(StandardCharsets.US_ASCII),
        message.type().wireName().getBytes(StandardCharsets.US_ASCII),
        Encodings.codecFor(message.type(), sessionCodec).encode(message));
  }

  /**
   * Decodes the body of a checked envelope received in a session using {@code sessionCodec};
   * HELLO, WELCOME, REJECT and ERROR are always JSON.
   *
   * @throws MalformedMessageException naming the offending field when the body is not valid
   */
  public static Message decodeBody(Envelope envelope, MessageCodec sessionCodec) {
    return Encodings.codecFor(envelope.type(), sessionCodec).decode(envelope.type(), envelope.body());
  }

  /** Frames {@code message} as JSON. */
  public static List<byte[]> encode(Message message) {
    return encode(message, JsonCodec.instance());
  }

  /** {@link #parse(List, int)} with {@link #DEFAULT_MAX_BODY_BYTES}. */
  public static Envelope parse(List<byte[]> frames) {
    return parse(frames, DEFAULT_MAX_BODY_BYTES);
  }

  /**
   * Checks the frames of a received message without decoding its body.
   *
   * @throws UnsupportedVersionException when the version frame names another protocol or version
   * @throws MalformedMessageException when the frame count is wrong, the type is unknown or the
   *     body is larger than {@code maxBodyBytes}
   */
  public static Envelope parse(List<byte[]> frames, int maxBodyBytes) {
    if (frames.size() != FRAME_COUNT) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_FRAMES,
          "expected " + FRAME_COUNT + " frames (version, type, body) but got " + frames.size(),
          null,
          null);
    }
    String versionFrame = header(frames.get(0), "version");
    String prefix = ProtocolVersion.PROTOCOL_NAME + "/";
    if (!versionFrame.startsWith(prefix)
        || !ProtocolVersion.isSupported(versionFrame.substring(prefix.length()))) {
      throw new UnsupportedVersionException(versionFrame);
    }
    String typeName = header(frames.get(1), "message-type");
    MessageType type =
        MessageType.fromWireName(typeName)
            .orElseThrow(
                () ->
                    new MalformedMessageException(
                        ErrorCode.UNKNOWN_MESSAGE_TYPE,
                        "unknown message type '" + typeName + "'",
                        typeName,
                        null));
    byte[] body = frames.get(2);
    if (body.length > maxBodyBytes) {
      throw new MalformedMessageException(
          ErrorCode.MESSAGE_TOO_LARGE,
          type.wireName() + " body of " + body.length + " bytes exceeds the limit of " + maxBodyBytes,
          type.wireName(),
          null);
    }
    return new Envelope(versionFrame.substring(prefix.length()), type, body);
  }

  /**
   * Whether a received message names {@code ERROR} in its type frame, whatever else is wrong with
   * it: such a message is never answered with an ERROR, even when it is malformed.
   */
  public static boolean namesErrorType(List<byte[]> frames) {
    return frames.size() >= 2
        && Arrays.equals(frames.get(1), MessageType.ERROR.wireName().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Refuses a message that never travels to this receiver, before its body is decoded.
   *
   * @param receiver {@link MessageType.Direction#TO_WORKER} on a worker, {@link
   *     MessageType.Direction#TO_ORCHESTRATOR} on the orchestrator
   * @throws MalformedMessageException with code {@code unexpected_message}
   */
  public static void requireSentTo(Envelope envelope, MessageType.Direction receiver) {
    MessageType type = envelope.type();
    if (type.direction() != receiver && type.direction() != MessageType.Direction.BOTH) {
      String to = receiver == MessageType.Direction.TO_WORKER ? "a worker" : "an orchestrator";
      throw new MalformedMessageException(ErrorCode.UNEXPECTED_MESSAGE,
          type.wireName() + " is never sent to " + to, type.wireName(), null);
    }
  }

  /** Parses and decodes a received message in a session using {@code sessionCodec}. */
  public static Message decode(List<byte[]> frames, MessageCodec sessionCodec) {
    return decodeBody(parse(frames), sessionCodec);
  }

  /** Parses and decodes a received JSON message. */
  public static Message decode(List<byte[]> frames) {
    return decode(frames, JsonCodec.instance());
  }

  private static String header(byte[] frame, String name) {
    if (frame.length == 0 || frame.length > MAX_HEADER_FRAME_BYTES) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_FRAMES,
          "the " + name + " frame must hold 1 to " + MAX_HEADER_FRAME_BYTES + " bytes but held " + frame.length,
          null,
          null);
    }
    for (byte b : frame) {
      if (b < 0x21 || b > 0x7e) {
        throw new MalformedMessageException(
            ErrorCode.MALFORMED_FRAMES,
            "the " + name + " frame must be printable ASCII",
            null,
            null);
      }
    }
    return new String(frame, StandardCharsets.US_ASCII);
  }
}
