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
 * on a free loopback port. Used when {@code TASKER_DATABASE_URL} is unset, and by tests. Closing it
 * stops the server. Not thread-safe to start and close concurrently.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The database Tasker uses inside the embedded server. */
  public static final String DATABASE = "postgres";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String USER = "postgres";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts a durable server (fsync on) in a fresh temporary data directory. */
  public static EmbeddedDatabase start() {
    return start(Map.of(), null);
  }

  /**
   * Starts a server tuned for tests: fsync and synchronous commit off. Data can be lost if the
   * machine crashes, which does not matter for a throw-away test database.
   */
  public static EmbeddedDatabase startForTests() {
    return start(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"), null);
  }

  /**
   * Starts a server with extra {@code postgresql.conf} settings.
   *
   * @param serverConfig settings such as {@code max_connections}
   * @param dataDirectory where to keep the data, reused across starts; {@code null} for a fresh
   *     temporary directory removed on close
   * @throws TaskerSchemaException when the server does not start
   */
  public static EmbeddedDatabase start(Map<String, String> serverConfig, Path dataDirectory) {
    return start(serverConfig, dataDirectory, 0);
  }

  /**
   * Like {@link #start(Map, Path)} on a given port, so that the server can be stopped and started
   * again where clients expect it (with the same data directory, its data is kept).
   *
   * @param port the loopback port, or 0 for any free one
   */
  public static EmbeddedDatabase start(Map<String, String> serverConfig, Path dataDirectory, int port) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("max_connections", "200");
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
