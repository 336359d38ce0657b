package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void a_message_is_framed_as_version_type_and_body() {
    List<byte[]> frames = Frames.encode(new Credit(4));

    assertThat(frames).hasSize(3);
    assertThat(new String(frames.get(0), StandardCharsets.US_ASCII)).isEqualTo("tasker/1");
    assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).isEqualTo("CREDIT");
    assertThat(new String(frames.get(2), StandardCharsets.UTF_8)).isEqualTo("{\"credit\":4}");
  }

  @Test
  void an_unknown_version_is_refused_naming_the_frame() {
    List<byte[]> frames = List.of(ascii("tasker/9"), ascii("CREDIT"), ascii("{\"credit\":1}"));

    assertThatThrownBy(() -> Frames.parse(frames))
        .isInstanceOf(UnsupportedVersionException.class)
        .hasMessageContaining("tasker/9")
        .hasMessageContaining("tasker/1")
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
  }

  @Test
  void another_protocol_is_refused_as_an_unsupported_version() {
    List<byte[]> frames = List.of(ascii("other/1"), ascii("CREDIT"), ascii("{}"));

    assertThatThrownBy(() -> Frames.parse(frames)).isInstanceOf(UnsupportedVersionException.class);
  }

  @Test
  void a_wrong_frame_count_is_malformed() {
    assertThatThrownBy(() -> Frames.parse(List.of(ascii("tasker/1"), ascii("CREDIT"))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("expected 3 frames")
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.MALFORMED_FRAMES);
  }

  @Test
  void an_unknown_message_type_is_named() {
    List<byte[]> frames = List.of(ascii("tasker/1"), ascii("LAUNCH_MISSILES"), ascii("{}"));

    assertThatThrownBy(() -> Frames.parse(frames))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("LAUNCH_MISSILES")
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
  }

  @Test
  void a_binary_header_frame_is_malformed() {
    List<byte[]> frames = List.of(new byte[] {0, 1, 2}, ascii("CREDIT"), ascii("{}"));

    assertThatThrownBy(() -> Frames.parse(frames))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("version frame");
  }

  @Test
  void a_body_over_the_limit_is_refused_before_decoding() {
    List<byte[]> frames = List.of(ascii("tasker/1"), ascii("HEARTBEAT"), new byte[1025]);

    assertThatThrownBy(() -> Frames.parse(frames, 1024))
        .isInstanceOf(MalformedMessageException.class)
        .extracting(e -> ((ProtocolException) e).code())
        .isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
  }

  @Test
  void an_error_for_an_unsupported_version_lists_the_supported_versions() {
    ProtocolError error = ProtocolError.of(new UnsupportedVersionException("tasker/2"));

    assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(error.supportedVersions()).containsExactly("1");
    assertThat(Frames.decode(Frames.encode(error))).isEqualTo(error);
  }

  @Test
  void a_heartbeat_round_trips_with_millisecond_timestamps() {
    Heartbeat heartbeat = new Heartbeat(Instant.parse("2026-11-27T10:15:30.123Z"));

    assertThat(Frames.decode(Frames.encode(heartbeat))).isEqualTo(heartbeat);
  }
}
