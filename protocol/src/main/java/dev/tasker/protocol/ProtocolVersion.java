package dev.tasker.protocol;

import java.util.List;

/**
 * Protocol name and versions. A version is a string holding a positive integer; it changes only on
 * an incompatible change. Within one version, receivers ignore fields they do not know, so adding
 * an optional field is not a new version.
 */
public final class ProtocolVersion {

  /** The protocol's name, the part of the version frame before the slash. */
  public static final String PROTOCOL_NAME = "tasker";

  /** The version this library speaks and prefers. */
  public static final String CURRENT = "1";

  /** Every version this library can speak, most preferred first. */
  public static final List<String> SUPPORTED = List.of(CURRENT);

  private ProtocolVersion() {}

  /** The content of the version frame for {@code version}, for example {@code tasker/1}. */
  public static String frameFor(String version) {
    return PROTOCOL_NAME + "/" + version;
  }

  /** Whether this library can speak {@code version}. */
  public static boolean isSupported(String version) {
    return SUPPORTED.contains(version);
  }

  /**
   * Chooses the version for a session: the first of {@link #SUPPORTED} that the peer also offers.
   *
   * @return the chosen version, or {@code null} when there is none in common
   */
  public static String negotiate(List<String> offeredByPeer) {
    for (String version : SUPPORTED) {
      if (offeredByPeer.contains(version)) {
        return version;
      }
    }
    return null;
  }
}
