package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds the decoder generated hostile messages. The property: {@link Frames#decode} returns a
 * message that can be encoded again, or throws a {@link ProtocolException} with a code and a
 * message whose ERROR reply survives framing. Nothing else may escape. Every case derives from
 * {@link #SEED}, its family and its index, so a failure reproduces from what it prints.
 */
class ProtocolFuzzTest {

  private static final long SEED = 0x7A5C_2026_1127L;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper TREES = new ObjectMapper();
  /** Stands for raw JSON spliced into a serialized tree (values the tree API cannot hold). */
  private static final String RAW = "__fuzz_raw__";
  private static final int EXAMPLES_PER_PROBLEM = 2;
  private static final List<Golden> GOLDEN = loadGolden();

  private enum Family {
    TRUNCATED_BODY(1_000),
    BYTE_MUTATION(2_000),
    WRONG_JSON_TYPE(2_000),
    HUGE_VALUE(1_000),
    BAD_VERSION_FRAME(1_000),
    WRONG_FRAME_COUNT(1_000),
    UNKNOWN_MESSAGE_TYPE(1_000),
    BODY_NOT_AN_OBJECT(1_000),
    HOSTILE_UNICODE(1_000),
    ID_NOT_A_UUID(1_000),
    DUPLICATE_KEY(1_000);

    final int cases;

    Family(int cases) {
      this.cases = cases;
    }
  }

  private record Golden(String name, MessageType type, byte[] body) {
    ObjectNode tree() {
      try {
        return (ObjectNode) TREES.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One generated input; {@code description} says what was done to it. */
  private record FuzzCase(String description, List<byte[]> frames) {}

  private final Map<Family, int[]> acceptedAndRefused = new EnumMap<>(Family.class);
  private final Map<String, Integer> problems = new LinkedHashMap<>();
  private final List<String> reported = new ArrayList<>();
  private int failures;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void hostile_messages_are_decoded_or_refused_with_a_typed_error_and_never_crash_the_decoder() {
    long started = System.nanoTime();
    int cases = 0;
    for (Family family : Family.values()) {
      acceptedAndRefused.put(family, new int[2]);
      for (int index = 0; index < family.cases; index++) {
        SplittableRandom random = new SplittableRandom(SEED + 1_000_003L * family.ordinal() + index);
        FuzzCase fuzzCase = generate(family, random, index);
        check(family, "seed " + SEED + ", " + family + " case " + index + ": " + fuzzCase.description(), fuzzCase);
        cases++;
      }
    }

    System.out.println(summary(cases, (System.nanoTime() - started) / 1_000_000));
    assertThat(cases).isGreaterThanOrEqualTo(12_000);
    assertThat(failures)
        .withFailMessage(
            "%d cases broke the decoder's contract.%nDistinct problems (count):%n%s%nExamples:%n%s",
            failures, String.join("\n", problems.entrySet().stream().map(e -> "  " + e.getValue() + " x " + e.getKey()).toList()),
            String.join("\n\n", reported))
        .isZero();
  }

  private FuzzCase generate(Family family, SplittableRandom random, int index) {
    return switch (family) {
      case TRUNCATED_BODY -> truncatedBody(random);
      case BYTE_MUTATION -> mutatedBytes(random);
      case WRONG_JSON_TYPE -> wrongJsonType(random);
      case HUGE_VALUE -> hugeValue(random, index);
      case BAD_VERSION_FRAME -> badVersionFrame(random);
      case WRONG_FRAME_COUNT -> wrongFrameCount(random);
      case UNKNOWN_MESSAGE_TYPE -> unknownMessageType(random);
      case BODY_NOT_AN_OBJECT -> bodyNotAnObject(random);
      case HOSTILE_UNICODE -> hostileUnicode(random);
      case ID_NOT_A_UUID -> idNotAUuid(random);
      case DUPLICATE_KEY -> duplicateKey(random);
    };
  }

  // ---- the property ----------------------------------------------------------------------------

  private void check(Family family, String where, FuzzCase fuzzCase) {
    Message decoded;
    try {
      decoded = Frames.decode(fuzzCase.frames());
    } catch (ProtocolException refusal) {
      acceptedAndRefused.get(family)[1]++;
      checkRefusal(where, fuzzCase, refusal);
      return;
    } catch (Throwable unexpected) {
      fail(where, fuzzCase, "threw " + unexpected.getClass().getName() + " instead of a ProtocolException", unexpected);
      return;
    }
    acceptedAndRefused.get(family)[0]++;
    String typeFrame = new String(fuzzCase.frames().get(1), StandardCharsets.US_ASCII);
    if (decoded == null) {
      fail(where, fuzzCase, "decoded to null instead of a message or a ProtocolException", null);
    } else if (!decoded.type().wireName().equals(typeFrame)) {
      fail(where, fuzzCase, "decoded a " + decoded.type() + " from a " + typeFrame + " frame", null);
    } else {
      try {
        Frames.decode(Frames.encode(decoded));
      } catch (Throwable t) {
        fail(where, fuzzCase, "accepted a message that cannot be encoded again: " + t.getClass().getName(), t);
      }
    }
  }

  private void checkRefusal(String where, FuzzCase fuzzCase, ProtocolException refusal) {
    if (refusal.code() == null || refusal.getMessage() == null || refusal.getMessage().isBlank()) {
      fail(where, fuzzCase, "refused without a code or message: code=" + refusal.code(), refusal);
      return;
    }
    try {
      ProtocolError reply = ProtocolError.of(refusal);
      Message echoed = Frames.decode(Frames.encode(reply));
      if (!reply.equals(echoed)) {
        fail(where, fuzzCase, "the ERROR reply changed in framing: " + reply + " came back as " + echoed, null);
      }
    } catch (Throwable t) {
      fail(where, fuzzCase, "the ERROR reply to " + refusal.code() + " cannot be framed: " + t.getClass().getName(), t);
    }
  }

  private void fail(String where, FuzzCase fuzzCase, String problem, Throwable thrown) {
    failures++;
    int seen = problems.merge(problem, 1, Integer::sum);
    if (seen > EXAMPLES_PER_PROBLEM) {
      return;
    }
    StringBuilder report = new StringBuilder(where).append("\n  ").append(problem);
    for (int i = 0; i < fuzzCase.frames().size(); i++) {
      report.append("\n  frame ").append(i).append(": ").append(excerpt(fuzzCase.frames().get(i)));
    }
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      report.append("\n  ").append(String.join("\n  ", trace.toString().lines().limit(8).toList()));
    }
    reported.add(report.toString());
  }

  private String summary(int cases, long millis) {
    int accepted = 0;
    int refused = 0;
    List<String> perFamily = new ArrayList<>();
    for (Map.Entry<Family, int[]> entry : acceptedAndRefused.entrySet()) {
      int[] counts = entry.getValue();
      accepted += counts[0];
      refused += counts[1];
      perFamily.add(entry.getKey() + "=" + entry.getKey().cases + " (" + counts[0] + " accepted, " + counts[1] + " refused)");
    }
    return "ProtocolFuzzTest seed=" + SEED + " cases=" + cases + " accepted=" + accepted + " refused=" + refused
        + " broken=" + failures + " in " + millis + " ms: " + String.join(", ", perFamily);
  }

  // ---- the families ----------------------------------------------------------------------------

  private static FuzzCase truncatedBody(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    int cut = random.nextInt(golden.body().length);
    return new FuzzCase(
        golden.name() + " cut to " + cut + " of " + golden.body().length + " bytes",
        frames(golden.type(), Arrays.copyOf(golden.body(), cut)));
  }

  private static FuzzCase mutatedBytes(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    byte[] body = golden.body();
    List<String> edits = new ArrayList<>();
    for (int edit = 1 + random.nextInt(8); edit > 0; edit--) {
      int at = random.nextInt(body.length);
      byte value = random.nextBoolean() ? (byte) random.nextInt(256) : pick(random, JSON_SIGNIFICANT_BYTES);
      switch (random.nextInt(5)) {
        case 0 -> {
          body = body.clone();
          body[at] ^= (byte) (1 << random.nextInt(8));
          edits.add("flip@" + at);
        }
        case 1 -> {
          body = body.clone();
          body[at] = value;
          edits.add("set@" + at + "=" + (value & 0xff));
        }
        case 2 -> {
          body = concat(Arrays.copyOf(body, at), new byte[] {value}, Arrays.copyOfRange(body, at, body.length));
          edits.add("insert@" + at + "=" + (value & 0xff));
        }
        case 3 -> {
          body = concat(Arrays.copyOf(body, at), Arrays.copyOfRange(body, Math.min(body.length, at + 1), body.length));
          edits.add("delete@" + at);
        }
        default -> {
          int end = Math.min(body.length, at + 1 + random.nextInt(32));
          body = concat(Arrays.copyOf(body, end), Arrays.copyOfRange(body, at, body.length));
          edits.add("repeat@" + at + ".." + end);
        }
      }
      if (body.length == 0) {
        break;
      }
    }
    return new FuzzCase(golden.name() + " " + edits, frames(golden.type(), body));
  }

  private static FuzzCase wrongJsonType(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    ObjectNode tree = golden.tree();
    List<String> edits = new ArrayList<>();
    for (int edit = 1 + random.nextInt(3); edit > 0; edit--) {
      JsonPointer path = pick(random, valuePaths(tree));
      JsonNode original = tree.at(path);
      List<JsonNode> wrong =
          WRONG_TYPE_VALUES.stream().filter(v -> v.getNodeType() != original.getNodeType()).toList();
      JsonNode replacement = pick(random, wrong).deepCopy();
      replace(tree, path, replacement);
      edits.add(path + "=" + replacement);
    }
    return new FuzzCase(golden.name() + " " + edits, frames(golden.type(), json(tree)));
  }

  private static FuzzCase hugeValue(SplittableRandom random, int index) {
    Golden golden = pick(random, GOLDEN);
    if (index % 500 == 499) {
      byte[] body = new byte[Frames.DEFAULT_MAX_BODY_BYTES + 1];
      Arrays.fill(body, (byte) ' ');
      System.arraycopy(golden.body(), 0, body, 0, golden.body().length);
      return new FuzzCase(golden.name() + " padded past the 16 MiB body limit", frames(golden.type(), body));
    }
    String raw;
    String what;
    if (index % 50 == 0) {
      raw = "\"" + "x".repeat(1 << 20) + "\"";
      what = "a 1 MiB string";
    } else if (index % 50 == 1) {
      raw = "[" + "7,".repeat(99_999) + "7]";
      what = "an array of 100,000 numbers";
    } else if (index % 20 == 2) {
      int depth = random.nextBoolean() ? 5_000 : 990 + random.nextInt(20);
      raw = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
      what = "nesting " + depth + " deep";
    } else {
      raw = pick(random, HUGE_SCALARS);
      what = raw.length() > 40 ? raw.substring(0, 40) + "...(" + raw.length() + " chars)" : raw;
    }
    ObjectNode tree = golden.tree();
    JsonPointer path = pick(random, valuePaths(tree));
    replace(tree, path, NODES.textNode(RAW));
    return new FuzzCase(golden.name() + " " + path + "=" + what, frames(golden.type(), splice(json(tree), raw)));
  }

  private static FuzzCase badVersionFrame(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    byte[] version =
        switch (random.nextInt(6)) {
          case 0, 1 -> ascii(pick(random, BAD_VERSIONS));
          case 2 -> randomBytes(random, random.nextInt(80));
          case 3 -> ascii("a".repeat(65 + random.nextInt(200)));
          case 4 -> ascii("tasker/" + "1".repeat(1 + random.nextInt(70)));
          default -> utf8("tasker/" + pick(random, List.of("１", "¹", "1\u0000", "1\n", "1 ", "\u00001", "一")));
        };
    return new FuzzCase(
        golden.name() + " with version frame " + excerpt(version),
        List.of(version, ascii(golden.type().wireName()), golden.body()));
  }

  private static FuzzCase wrongFrameCount(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    List<byte[]> valid = frames(golden.type(), golden.body());
    byte[] identity = randomBytes(random, 1 + random.nextInt(16));
    List<byte[]> frames =
        switch (random.nextInt(8)) {
          case 0 -> List.of();
          case 1 -> List.of(pick(random, valid));
          case 2 -> List.of(valid.get(0), valid.get(1));
          case 3 -> List.of(valid.get(1), valid.get(2));
          case 4 -> List.of(identity, valid.get(0), valid.get(1), valid.get(2));
          case 5 -> List.of(valid.get(0), valid.get(1), valid.get(2), new byte[0]);
          case 6 -> List.of(identity, identity, valid.get(0), valid.get(1), valid.get(2));
          default -> List.of(valid.get(0), valid.get(1), valid.get(2), valid.get(2), valid.get(2));
        };
    return new FuzzCase(golden.name() + " in " + frames.size() + " frames", frames);
  }

  private static FuzzCase unknownMessageType(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    if (random.nextInt(4) == 0) {
      Golden other = pick(random, GOLDEN);
      return new FuzzCase(
          "a " + other.name() + " body under a " + golden.type() + " frame",
          frames(golden.type(), other.body()));
    }
    String name = golden.type().wireName();
    byte[] type =
        switch (random.nextInt(7)) {
          case 0 -> ascii(name.toLowerCase(Locale.ROOT));
          case 1 -> {
            char[] chars = name.toCharArray();
            chars[random.nextInt(chars.length)] = (char) ('!' + random.nextInt(94));
            yield ascii(new String(chars));
          }
          case 2 -> ascii(name + pick(random, List.of("S", "_V2", "_", "2", "-", ".")));
          case 3 -> utf8(pick(random, List.of(name + "\u0000", " " + name, name + "\n", "ÉRROR", "HELLO\u200B")));
          case 4 -> randomBytes(random, random.nextInt(70));
          case 5 -> ascii(pick(random, List.of("Hello", "StepBatchRequest", "STEP-BATCH", "LAUNCH_MISSILES", "NULL", "0")));
          default -> ascii("X".repeat(60 + random.nextInt(20)));
        };
    return new FuzzCase(
        golden.name() + " body with type frame " + excerpt(type),
        List.of(ascii("tasker/1"), type, golden.body()));
  }

  private static FuzzCase bodyNotAnObject(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    String text = new String(golden.body(), StandardCharsets.UTF_8);
    byte[] body =
        switch (random.nextInt(6)) {
          case 0, 1 -> utf8(pick(random, NOT_OBJECTS));
          case 2 -> utf8(pick(random, List.of(
              "[" + text + "]", text + text, text + " x", text + "]", "\"" + text.replace("\"", "\\\"") + "\"")));
          case 3 -> utf8(pick(random, List.of(
              "/* c */" + text, "// c\n" + text, text.replace('"', '\''), "\uFEFF" + text, "\uFEFF\uFEFF" + text)));
          case 4 -> text.getBytes(pick(random, List.of(
              StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16, StandardCharsets.ISO_8859_1)));
          default -> randomBytes(random, random.nextInt(200));
        };
    return new FuzzCase(golden.name() + " type with body " + excerpt(body), frames(golden.type(), body));
  }

  private static FuzzCase hostileUnicode(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    ObjectNode tree = golden.tree();
    ByteArrayOutputStream literal = new ByteArrayOutputStream();
    literal.writeBytes(ascii("\""));
    for (int piece = 1 + random.nextInt(6); piece > 0; piece--) {
      literal.writeBytes(pick(random, UNICODE_PIECES));
    }
    literal.writeBytes(ascii("\""));
    String where;
    if (random.nextInt(4) == 0) {
      ((ObjectNode) tree.at(pick(random, objectPaths(tree)))).put(RAW, 1);
      where = "a new key";
    } else {
      List<JsonPointer> texts = valuePaths(tree).stream().filter(p -> tree.at(p).isTextual()).toList();
      JsonPointer path = texts.isEmpty() ? pick(random, valuePaths(tree)) : pick(random, texts);
      replace(tree, path, NODES.textNode(RAW));
      where = path.toString();
    }
    return new FuzzCase(
        golden.name() + " " + where + "=" + excerpt(literal.toByteArray()),
        frames(golden.type(), splice(json(tree), literal.toByteArray())));
  }

  private static FuzzCase idNotAUuid(SplittableRandom random) {
    List<Golden> withIds = GOLDEN.stream().filter(g -> new String(g.body(), StandardCharsets.UTF_8).contains("_id\"")).toList();
    Golden golden = pick(random, withIds);
    ObjectNode tree = golden.tree();
    if (golden.type() == MessageType.STEP_BATCH && random.nextInt(10) == 0) {
      ArrayNode steps = (ArrayNode) tree.get("steps");
      steps.add(steps.get(0).deepCopy());
      return new FuzzCase("STEP_BATCH with the same step_id twice", frames(golden.type(), json(tree)));
    }
    List<JsonPointer> ids = valuePaths(tree).stream().filter(p -> p.toString().endsWith("_id")).toList();
    JsonPointer path = pick(random, ids);
    String id = tree.at(path).asText("0192f3a4-7000-7abc-8def-0123456789ab");
    JsonNode replacement =
        switch (random.nextInt(4)) {
          case 0 -> NODES.textNode(pick(random, NON_UUIDS));
          case 1 -> NODES.textNode(garble(random, id));
          case 2 -> pick(random, WRONG_TYPE_VALUES).deepCopy();
          default -> NODES.textNode(pick(random, List.of(
              id.toUpperCase(Locale.ROOT), id.replace("-", ""), "{" + id + "}", "urn:uuid:" + id, " " + id, id + "\n",
              id.substring(1))));
        };
    replace(tree, path, replacement);
    return new FuzzCase(golden.name() + " " + path + "=" + replacement, frames(golden.type(), json(tree)));
  }

  private static FuzzCase duplicateKey(SplittableRandom random) {
    Golden golden = pick(random, GOLDEN);
    ObjectNode tree = golden.tree();
    JsonPointer objectPath = pick(random, objectPaths(tree));
    ObjectNode target = (ObjectNode) tree.at(objectPath);
    if (target.isEmpty()) {
      target.put("k", 1);
    }
    List<String> keys = target.propertyStream().map(Map.Entry::getKey).toList();
    String key = pick(random, keys);
    JsonNode value =
        switch (random.nextInt(4)) {
          case 0 -> target.get(key);
          case 1 -> NODES.nullNode();
          default -> pick(random, WRONG_TYPE_VALUES).deepCopy();
        };
    boolean first = random.nextBoolean();
    int copies = 1 + random.nextInt(3);
    ObjectNode rebuilt = NODES.objectNode();
    if (first) {
      rebuilt.put(RAW, RAW);
    }
    rebuilt.setAll(target);
    if (!first) {
      rebuilt.put(RAW, RAW);
    }
    target.removeAll();
    target.setAll(rebuilt);
    String entry = quoted(key) + ":" + text(value);
    byte[] body = json(tree);
    String serialized = new String(body, StandardCharsets.UTF_8)
        .replace(quoted(RAW) + ":" + quoted(RAW), String.join(",", Collections.nCopies(copies, entry)));
    return new FuzzCase(
        golden.name() + " " + (objectPath.toString().isEmpty() ? "/" : objectPath) + " repeats " + entry + " "
            + copies + "x " + (first ? "first" : "last"),
        frames(golden.type(), utf8(serialized)));
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private static final List<Byte> JSON_SIGNIFICANT_BYTES =
      Stream.of('{', '}', '[', ']', '"', ':', ',', '\\', '0', '-', 'e', '.', ' ', 'n', '\0', '\u007f')
          .map(c -> (byte) c.charValue())
          .toList();

  private static final List<JsonNode> WRONG_TYPE_VALUES =
      List.of(
          NODES.textNode(""), NODES.textNode("x"), NODES.textNode("1"), NODES.textNode("true"),
          NODES.textNode("2026-11-27T10:15:30.123Z"), NODES.numberNode(0), NODES.numberNode(-1),
          NODES.numberNode(1), NODES.numberNode(1L << 40), NODES.numberNode(1.5), NODES.numberNode(-0.0),
          NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(), NODES.arrayNode(),
          NODES.arrayNode().add(1), NODES.arrayNode().add("x"), NODES.arrayNode().addNull(),
          NODES.objectNode(), NODES.objectNode().put("a", 1), NODES.objectNode().put("code", "x"));

  private static final List<String> HUGE_SCALARS =
      List.of(
          "1e400", "-1e400", "1E+400", "1e-400", "1e1000000000", "-1e1000000000", "99999999999999999999",
          "-99999999999999999999", "9223372036854775808", "-9223372036854775809", "2147483648", "-2147483649",
          "4294967297", "1" + "0".repeat(999), "1" + "0".repeat(5_000), "0." + "0".repeat(2_000) + "1",
          "123456789.123456789e300", "1.7976931348623157e309", "-0", "0e0", "1.0", "-1",
          "\"+1000000000-12-31T23:59:59Z\"", "\"-1000000000-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59.999Z\"",
          "\"+10000-01-01T00:00:00.000Z\"", "\"9999-12-31T23:59:59.999Z\"", "\"2026-11-27T10:15:30.123+18:00\"",
          "\"2026-11-27T10:15:30.123+99:99\"", "\"2026-02-30T10:15:30Z\"", "\"2026-11-27T10:15:30." + "9".repeat(1_000) + "Z\"",
          "\"" + "9".repeat(10_000) + "\"", "\"" + "\\u0000".repeat(10_000) + "\"");

  private static final List<String> BAD_VERSIONS =
      List.of(
          "tasker/2", "tasker/", "TASKER/1", "Tasker/1", "tasker/1.0", "tasker/01", "tasker//1", "/1", "tasker",
          "1", "tasker/-1", "tasker/1/1", "tasker\\1", "other/1", "tasker/0", "tasker/99999999999999999999",
          "tasker/v1", "tasker:1", "tasker/1\t", "tasker/9");

  private static final List<String> NOT_OBJECTS =
      List.of(
          "null", " null ", "true", "false", "0", "-1", "1e400", "\"str\"", "\"\"", "[]", "[{}]", "[null]", "", " ",
          "\n", "{", "}", "{}", "{}}", "{\"a\":}", "{\"a\" 1}", "{,}", "{\"a\":1,}", "NaN", "Infinity", "undefined",
          "{'a':1}", "{a:1}", "\u0000", "{}\u0000", "{\"a\":1}{\"a\":2}", "[1,2", "\"unterminated");

  private static final List<byte[]> UNICODE_PIECES =
      Stream.concat(
              Stream.of(
                      "\\u0000", "\\u0001", "\\u001f", "\\ud800", "\\udc00", "\\ud800\\ud800", "\\udbff\\udfff",
                      "\\ud83d\\ude00", "\\uFEFF", "\\uFFFF", "\\uFFFE", "\\u202E", "\\u2028", "\\\\", "\\\"", "\\x41",
                      "\\u12", "\\uZZZZ", "\\", "a", "é", "中", "😀", "\u0301", "\u2028", "\u0085", "\u007f", "\t", "\n",
                      "\u0000")
                  .map(ProtocolFuzzTest::utf8),
              Stream.of(
                  new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                  new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFF},
                  new byte[] {(byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
                  new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}))
          .toList();

  private static final List<String> NON_UUIDS =
      List.of(
          "", " ", "not-a-uuid", "0192f3a4-7000-7abc-8def", "0192f3a4-7000-7abc-8def-0123456789ab-00",
          "0192f3a4-7000-7abc-8def-0123456789ag", "g192f3a4-7000-7abc-8def-0123456789ab", "00000000-0000-0000-0000-000000000000",
          "ffffffff-ffff-ffff-ffff-ffffffffffff", "0192f3a47000-7abc-8def-0123456789ab-", "AAAAAAAAAAAAAAAAAAAAAA==",
          "٠١٩٢f3a4-7000-7abc-8def-0123456789ab", "0192f3a4-7000-7abc-8def-0123456789ab\u0000", "null", "0",
          "0192f3a4_7000_7abc_8def_0123456789ab", "0192f3a4-7000-7abc-8def-0123456789ab".repeat(3), "x".repeat(10_000));

  // ---- helpers ---------------------------------------------------------------------------------

  private static List<Golden> loadGolden() {
    return Stream.concat(Arrays.stream(MessageType.values()).map(Enum::name), Stream.of("PARTIAL_RESULT_failed"))
        .map(name -> new Golden(name, MessageType.valueOf(name.replace("_failed", "")), read("/golden/json/" + name + ".json")))
        .toList();
  }

  private static byte[] read(String resource) {
    try (InputStream in = ProtocolFuzzTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("golden file %s", resource).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<byte[]> frames(MessageType type, byte[] body) {
    return List.of(ascii("tasker/1"), ascii(type.wireName()), body);
  }

  private static List<JsonPointer> valuePaths(JsonNode tree) {
    List<JsonPointer> paths = new ArrayList<>();
    collectPaths(tree, JsonPointer.empty(), paths);
    return paths;
  }

  private static List<JsonPointer> objectPaths(JsonNode tree) {
    List<JsonPointer> objects = new ArrayList<>(List.of(JsonPointer.empty()));
    valuePaths(tree).stream().filter(p -> tree.at(p).isObject()).forEach(objects::add);
    return objects;
  }

  private static void collectPaths(JsonNode node, JsonPointer at, List<JsonPointer> paths) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        JsonPointer child = at.appendProperty(e.getKey());
        paths.add(child);
        collectPaths(e.getValue(), child, paths);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonPointer child = at.appendIndex(i);
        paths.add(child);
        collectPaths(node.get(i), child, paths);
      }
    }
  }

  private static void replace(ObjectNode tree, JsonPointer path, JsonNode value) {
    JsonNode parent = tree.at(path.head());
    if (parent.isArray()) {
      ((ArrayNode) parent).set(path.last().getMatchingIndex(), value);
    } else {
      ((ObjectNode) parent).set(path.last().getMatchingProperty(), value);
    }
  }

  /** Replaces the first {@link #RAW} string (quotes included) in {@code body} with raw bytes. */
  private static byte[] splice(byte[] body, byte[] raw) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(quoted(RAW));
    return concat(Arrays.copyOf(body, at), raw, Arrays.copyOfRange(body, at + RAW.length() + 2, body.length));
  }

  private static byte[] splice(byte[] body, String raw) {
    return splice(body, utf8(raw));
  }

  private static String garble(SplittableRandom random, String id) {
    StringBuilder garbled = new StringBuilder(id);
    int at = random.nextInt(garbled.length());
    switch (random.nextInt(3)) {
      case 0 -> garbled.setCharAt(at, (char) ('!' + random.nextInt(94)));
      case 1 -> garbled.deleteCharAt(at);
      default -> garbled.insert(at, (char) ('!' + random.nextInt(94)));
    }
    return garbled.toString();
  }

  private static byte[] json(JsonNode tree) {
    try {
      return TREES.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode tree) {
    return new String(json(tree), StandardCharsets.UTF_8);
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The first bytes of a frame, printable: non-ASCII and control bytes as {@code \xNN}. */
  private static String excerpt(byte[] frame) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(frame.length, 160); i++) {
      int b = frame[i] & 0xff;
      out.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return out + (frame.length > 160 ? "...(" + frame.length + " bytes)" : "");
  }
}
