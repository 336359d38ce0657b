package dev.tasker.protocol;

import java.util.Arrays;

/**
 * A framed message whose frames have been checked but whose body is not yet decoded.
 *
 * @param version the protocol version named by the version frame, for example {@code 1}
 * @param type the message type named by the type frame
 * @param body the encoded body, as received
 */
public record Envelope(String version, MessageType type, byte[] body) {

  @Override
  public boolean equals(Object other) {
    return other instanceof Envelope that
        && version.equals(that.version)
        && type == that.type
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * version.hashCode() + type.hashCode()) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "Envelope[version=" + version + ", type=" + type + ", body=" + body.length + " bytes]";
  }
}
