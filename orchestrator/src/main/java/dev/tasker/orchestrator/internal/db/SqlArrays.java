package dev.tasker.orchestrator.internal.db;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** PostgreSQL arrays for set-based statements ({@code unnest(?::uuid[], ...)}). */
public final class SqlArrays {

  private SqlArrays() {}

  /** A {@code uuid[]}. */
  public static Array uuids(Connection connection, Collection<UUID> values) throws SQLException {
    return connection.createArrayOf("uuid", values.toArray(new UUID[0]));
  }

  /** A {@code text[]}; elements may be null. Cast in SQL for jsonb ({@code ?::text[]} then {@code ::jsonb}). */
  public static Array texts(Connection connection, Collection<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(new String[0]));
  }

  /** An {@code int4[]}. */
  public static Array ints(Connection connection, Collection<Integer> values) throws SQLException {
    return connection.createArrayOf("int4", values.toArray(new Integer[0]));
  }

  /** A {@code bool[]}. */
  public static Array booleans(Connection connection, Collection<Boolean> values) throws SQLException {
    return connection.createArrayOf("bool", values.toArray(new Boolean[0]));
  }

  /** An {@code int8[]}; elements may be null. */
  public static Array longs(Connection connection, Collection<Long> values) throws SQLException {
    return connection.createArrayOf("int8", values.toArray(new Long[0]));
  }

  /** A {@code timestamptz[]}; elements may be null. */
  public static Array timestamps(Connection connection, Collection<Instant> values) throws SQLException {
    Timestamp[] array = values.stream().map(i -> i == null ? null : Timestamp.from(i)).toArray(Timestamp[]::new);
    return connection.createArrayOf("timestamptz", array);
  }
}
