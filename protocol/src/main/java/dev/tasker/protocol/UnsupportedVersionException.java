package dev.tasker.protocol;

/** The version frame names a protocol or version this library does not speak. */
public final class UnsupportedVersionException extends ProtocolException {

  private static final long serialVersionUID = 1L;

  private final String offeredVersionFrame;

  /** @param offeredVersionFrame the content of the version frame that was received */
  public UnsupportedVersionException(String offeredVersionFrame) {
    super(
        ErrorCode.UNSUPPORTED_VERSION,
        "unsupported protocol version frame '"
            + offeredVersionFrame
            + "'; supported: "
            + String.join(", ", ProtocolVersion.SUPPORTED.stream().map(ProtocolVersion::frameFor).toList()),
        null,
        null);
    this.offeredVersionFrame = offeredVersionFrame;
  }

  /** The content of the version frame that was received. */
  public String offeredVersionFrame() {
    return offeredVersionFrame;
  }
}
