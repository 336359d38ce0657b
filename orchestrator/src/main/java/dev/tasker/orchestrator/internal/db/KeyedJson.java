package dev.tasker.orchestrator.internal.db;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.postgresql.util.PGobject;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * A JSON object keyed by id, passed as one {@code jsonb} parameter: a statement that changes rows
 * found by {@code id = ANY(?)} reads each row's new values with {@code ? -> id::text}, a lookup in
 * the object, instead of joining the rows to a list of values. (Joins between small parameter
 * lists and tables are where PostgreSQL's plans go wrong: cached plans assume ten rows and pick
 * nested loops or table scans that cost quadratic or linear time as lists and tables grow.)
 */
public final class KeyedJson {

  private KeyedJson() {}

  /**
   * {@code {"<id>": <json>, ...}} as a {@code jsonb} parameter; each value must already be JSON text.
   * Typed jsonb, the parameter is parsed once when the statement is bound: a text parameter cast in
   * SQL ({@code ?::jsonb}) would be parsed again for every row that reads it.
   */
  public static PGobject ofJson(Map<UUID, String> jsonById) throws SQLException {
    return jsonb(jsonById, (out, id) -> out.append('"').append(id).append('"'));
  }

  /**
   * {@code {"<name>": <json>, ...}} as a {@code jsonb} parameter, for keys that are free text (a
   * worker id), quoted as JSON strings; each value must already be JSON text.
   */
  public static PGobject ofJsonByName(Map<String, String> jsonByName) throws SQLException {
    return jsonb(jsonByName, (out, name) -> out.append(quote(name)));
  }

  private static <K> PGobject jsonb(Map<K, String> jsonByKey, BiConsumer<StringBuilder, K> appendKey) throws SQLException {
    StringBuilder out = new StringBuilder(64 + jsonByKey.size() * 64).append('{');
    jsonByKey.forEach((key, json) -> {
      if (out.length() > 1) {
        out.append(',');
      }
      appendKey.accept(out, key);
      out.append(':').append(json == null ? "null" : json);
    });
    PGobject parameter = new PGobject();
    parameter.setType("jsonb");
    parameter.setValue(out.append('}').toString());
    return parameter;
  }

  /** A JSON string literal for {@code text}. */
  public static String quote(String text) {
    return text == null ? "null" : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
