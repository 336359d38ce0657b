package dev.tasker.schema;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the binaries published on Maven Central (io.zonky.test),
 * on a free loopback port. Used when {@code TASKER_DATABASE_URL} is unset, and by tests. Every
 * server is durable (fsync and synchronous commit on) except the one {@link #startForTests()}
 * gives. Closing it stops the server. Not thread-safe to start and close concurrently.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The database Tasker uses inside the embedded server. */
  public static final String DATABASE = "postgres";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String USER = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final String MAX_CONNECTIONS = "200";

  // io.zonky starts every server with -F (fsync off) and synchronous_commit=off; a server
  // setting overrides both, and a server that keeps real data must not lose commits in a crash.
  private static final Map<String, String> DURABLE_SETTINGS = Map.of("fsync", "on", "synchronous_commit", "on");

  // A throw-away test database need not survive a crash; full_page_writes off saves WAL as well.
  private static final Map<String, String> THROW_AWAY_SETTINGS =
      Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a durable server (fsync and synchronous commit on) in a fresh temporary data directory.
   *
   * @throws TaskerSchemaException when the server does not start
   */
  public static EmbeddedDatabase start() {
    return start(Map.of(), null);
  }

  /**
   * Starts a server tuned for tests: fsync, synchronous commit and full page writes off. Data can
   * be lost if the machine crashes, which does not matter for a throw-away test database.
   *
   * @throws TaskerSchemaException when the server does not start
   */
  public static EmbeddedDatabase startForTests() {
    return start(THROW_AWAY_SETTINGS, null);
  }

  /**
   * Starts a durable server (fsync and synchronous commit on) with extra {@code postgresql.conf}
   * settings.
   *
   * @param serverConfig settings such as {@code max_connections}; an entry for {@code fsync} or
   *     {@code synchronous_commit} replaces the durable default
   * @param dataDirectory where to keep the data, reused across starts; {@code null} for a fresh
   *     temporary directory removed on close
   * @throws TaskerSchemaException when the server does not start
   */
  public static EmbeddedDatabase start(Map<String, String> serverConfig, Path dataDirectory) {
    return start(serverConfig, dataDirectory, 0);
  }

  /**
   * Like {@link #start(Map, Path)} (durable unless {@code serverConfig} says otherwise) on a given
   * port, so that the server can be stopped and started again where clients expect it (with the
   * same data directory, its data is kept).
   *
   * @param port the loopback port, or 0 for any free one
   * @throws TaskerSchemaException when the server does not start
   */
  public static EmbeddedDatabase start(Map<String, String> serverConfig, Path dataDirectory, int port) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("max_connections", MAX_CONNECTIONS);
    config.putAll(DURABLE_SETTINGS);
    config.putAll(serverConfig);
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPGStartupWait(STARTUP_WAIT);
      config.forEach(builder::setServerConfig);
      if (dataDirectory != null) {
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      }
      if (port != 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      log.info("embedded PostgreSQL started on port {}", postgres.getPort());
      return new EmbeddedDatabase(postgres);
    } catch (IOException | RuntimeException e) {
      throw new TaskerSchemaException("starting embedded PostgreSQL failed: " + e.getMessage(), e);
    }
  }

  /** The port the server listens on (loopback). */
  public int port() {
    return postgres.getPort();
  }

  /** Settings for the {@value #DATABASE} database as the superuser. */
  public DatabaseSettings settings() {
    return new DatabaseSettings(postgres.getJdbcUrl(USER, DATABASE), USER, null);
  }

  /** Stops the server. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new TaskerSchemaException("stopping embedded PostgreSQL failed: " + e.getMessage(), e);
    }
  }
}
