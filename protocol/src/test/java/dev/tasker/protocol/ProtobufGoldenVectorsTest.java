package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden vectors shared with other languages, under {@code protocol/golden/}:
 *
 * <ul>
 *   <li>{@code json/NAME.json}: every message, hand-written;
 *   <li>{@code protobuf/NAME.bin}: the same messages encoded by this (Java) codec;
 *   <li>{@code ruby/json/NAME.json} and {@code ruby/protobuf/NAME.bin}: the same messages encoded by
 *       the Ruby gem's codecs (written by {@code ruby-worker/script/write-golden}).
 * </ul>
 *
 * Java encodes and Ruby decodes (the gem's specs read {@code protobuf/}); Ruby encodes and Java
 * decodes (this test reads {@code ruby/}). Run with {@code -Dtasker.golden.write=true} to rewrite
 * {@code protobuf/} after a deliberate change.
 */
class ProtobufGoldenVectorsTest {

  private static final Path GOLDEN = Path.of("golden");
  private static final boolean WRITE = Boolean.getBoolean("tasker.golden.write");
  private static final ObjectMapper PLAIN = new ObjectMapper();

  static Stream<String> names() {
    return Stream.concat(
        Arrays.stream(MessageType.values()).map(Enum::name), Stream.of("PARTIAL_RESULT_failed", "WELCOME_orchestrators", "PARTIAL_RESULT_checkpoint", "STEP_BATCH_resume"));
  }

  @ParameterizedTest
  @MethodSource("names")
  void java_encodes_every_golden_message_to_the_committed_protobuf_bytes(String name) throws IOException {
    Message message = golden(name);
    byte[] encoded = ProtobufCodec.instance().encode(message);
    Path vector = GOLDEN.resolve("protobuf").resolve(name + ".bin");
    if (WRITE) {
      Files.createDirectories(vector.getParent());
      Files.write(vector, encoded);
    }

    assertThat(vector).as("run with -Dtasker.golden.write=true to create it").exists();
    assertThat(encoded).isEqualTo(Files.readAllBytes(vector));
  }

  @ParameterizedTest
  @MethodSource("names")
  void java_decodes_the_committed_protobuf_bytes_to_the_golden_message(String name) throws IOException {
    Message decoded = ProtobufCodec.instance().decode(type(name), read("protobuf/" + name + ".bin"));

    assertThat(decoded).isEqualTo(golden(name));
  }

  @ParameterizedTest
  @MethodSource("names")
  void java_decodes_what_ruby_encoded_as_protobuf(String name) {
    Message decoded = ProtobufCodec.instance().decode(type(name), read("ruby/protobuf/" + name + ".bin"));

    assertThat(decoded).isEqualTo(golden(name));
  }

  @ParameterizedTest
  @MethodSource("names")
  void java_decodes_what_ruby_encoded_as_json(String name) {
    byte[] rubyJson = read("ruby/json/" + name + ".json");
    Message decoded = JsonCodec.instance().decode(type(name), rubyJson);

    assertThat(decoded).isEqualTo(golden(name));
    assertThat(tree(rubyJson)).isEqualTo(tree(read("json/" + name + ".json")));
  }

  @ParameterizedTest
  @MethodSource("names")
  void every_golden_message_survives_protobuf_framing(String name) {
    Message message = golden(name);

    Message roundTripped = Frames.decode(Frames.encode(message, ProtobufCodec.instance()), ProtobufCodec.instance());

    assertThat(roundTripped).isEqualTo(message);
  }

  private static MessageType type(String name) {
    return GoldenMessagesTest.typeOf(name);
  }

  private static Message golden(String name) {
    return JsonCodec.instance().decode(type(name), read("json/" + name + ".json"));
  }

  private static byte[] read(String relative) {
    Path path = GOLDEN.resolve(relative);
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("golden vector " + path + " is missing", e);
    }
  }

  private static JsonNode tree(byte[] json) {
    try {
      return PLAIN.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
