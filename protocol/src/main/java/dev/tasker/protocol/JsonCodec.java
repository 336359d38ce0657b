package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The JSON encoding of message bodies: UTF-8 JSON objects with snake_case field names, ids as
 * UUID strings, timestamps as RFC 3339 UTC strings with milliseconds ({@code
 * 2026-11-27T10:15:30.123Z}; any RFC 3339 offset is accepted on input), absent optional fields
 * omitted. Unknown fields are
 * ignored (forward compatibility within a protocol version); a field of the wrong type is an error,
 * never silently coerced. Thread-safe.
 */
public final class JsonCodec implements MessageCodec {

  /** The encoding name, {@code json}. */
  public static final String ENCODING = Hello.JSON_ENCODING;

  private static final JsonCodec INSTANCE = new JsonCodec();

  private final ObjectMapper mapper;

  /** Deepest nesting of objects and arrays accepted in a body (outputs included). */
  public static final int MAX_NESTING_DEPTH = 256;

  private JsonCodec() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
        .build();
    mapper =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("tasker-timestamps")
                .addSerializer(Instant.class, new MillisecondInstantSerializer())
                .addDeserializer(Instant.class, new StrictInstantDeserializer())
                .addDeserializer(UUID.class, new CanonicalUuidDeserializer()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
  }

  /** The shared instance. */
  public static JsonCodec instance() {
    return INSTANCE;
  }

  @Override
  public String encoding() {
    return ENCODING;
  }

  @Override
  public byte[] encode(Message message) {
    try {
      return mapper.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.type() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Message decode(MessageType type, byte[] body) {
    try {
      Message message = mapper.readValue(body, type.bodyType());
      if (message == null) {
        throw new MalformedMessageException(
            ErrorCode.MALFORMED_BODY, type.wireName() + ": the body must be a JSON object, not null", type.wireName(), null);
      }
      return message;
    } catch (JacksonException e) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_BODY, JsonDecodeProblem.describe(type, e, () -> treeOrNull(body)), type.wireName(), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_BODY, type.wireName() + ": " + e.getMessage(), type.wireName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode treeOrNull(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Encodes {@code message} as a JSON string (for logs, the results ledger and golden files). */
  public String toJson(Message message) {
    return new String(encode(message), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Reads one JSON value embedded in another encoding (the protobuf encoding's {@code *_json}
   * fields), with the same limits as a JSON body.
   *
   * @param field the field's name, for the error message
   * @throws MalformedMessageException naming {@code field} when {@code json} is not one JSON value
   */
  JsonNode readValue(String json, MessageType type, String field) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new MalformedMessageException(
            ErrorCode.MALFORMED_BODY, type.wireName() + " at " + field + ": empty JSON text", type.wireName(), null);
      }
      return node;
    } catch (JacksonException e) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_BODY,
          type.wireName() + " at " + field + ": not valid JSON text: "
              + e.getOriginalMessage().lines().findFirst().orElse("invalid JSON"),
          type.wireName(),
          e);
    }
  }

  /** Writes one JSON value as compact text. */
  String writeValue(JsonNode value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON value: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a string or object key anywhere in {@code value} holds U+0000. Results must not
   * (PostgreSQL cannot store it): the orchestrator refuses them and workers must not send them.
   */
  public static boolean holdsNul(JsonNode value) {
    if (value == null) {
      return false;
    }
    if (value.isTextual()) {
      return value.textValue().indexOf('\u0000') >= 0;
    }
    for (var fields = value.fields(); fields.hasNext(); ) {
      var field = fields.next();
      if (field.getKey().indexOf('\u0000') >= 0 || holdsNul(field.getValue())) {
        return true;
      }
    }
    if (value.isArray()) {
      for (JsonNode element : value) {
        if (holdsNul(element)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Encodes {@code message} as a JSON tree. */
  public JsonNode toTree(Message message) {
    return mapper.valueToTree(message);
  }

  /**
   * Reads instants only from RFC 3339 strings with years 0000 to 9999: not from numbers (epoch
   * seconds would silently be accepted), and not from years that cannot be written back.
   */
  private static final class StrictInstantDeserializer extends StdDeserializer<Instant> {

    private static final long serialVersionUID = 1L;
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final String EXAMPLE = "2026-11-27T10:15:30.123Z";

    StrictInstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        throw MismatchedInputException.from(parser, Instant.class,
            "must be an RFC 3339 timestamp string such as " + EXAMPLE + JsonDecodeProblem.found(parser.currentToken()));
      }
      String text = parser.getText();
      Instant instant;
      try {
        instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
      } catch (DateTimeException e) {
        throw InvalidFormatException.from(parser,
            "must be an RFC 3339 timestamp such as " + EXAMPLE + ", not " + quoted(text), text, Instant.class);
      }
      if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
        throw InvalidFormatException.from(parser,
            "must be a timestamp with a year from 0000 to 9999, not " + quoted(text), text, Instant.class);
      }
      return instant;
    }
  }

  /**
   * Reads ids only in the canonical UUID text form: Jackson's own reader also takes base64 and
   * other forms that no other port would accept.
   */
  private static final class CanonicalUuidDeserializer extends StdDeserializer<UUID> {

    private static final long serialVersionUID = 1L;
    private static final String EXAMPLE = "0192f3a4-7000-7abc-8def-0123456789ab";

    CanonicalUuidDeserializer() {
      super(UUID.class);
    }

    @Override
    public UUID deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        throw MismatchedInputException.from(parser, UUID.class,
            "must be a UUID string such as " + EXAMPLE + JsonDecodeProblem.found(parser.currentToken()));
      }
      String text = parser.getText();
      try {
        return Ids.parse(text, "id");
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(parser,
            "must be a UUID string such as " + EXAMPLE + ", not " + quoted(text), text, UUID.class);
      }
    }
  }

  /** A received value for an error message: quoted, and cut to 60 characters. */
  private static String quoted(String text) {
    return "\"" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"";
  }

  /** Writes instants as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, always with three fraction digits. */
  private static final class MillisecondInstantSerializer extends StdSerializer<Instant> {

    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter FORMAT =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    MillisecondInstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(FORMAT.format(value));
    }
  }
}
