package dev.tasker.schema.testing;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.EmbeddedDatabase;
import dev.tasker.schema.TaskerSchema;
import dev.tasker.schema.TaskerSchemaException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, migrated Tasker databases for tests. One server is shared by the whole JVM: the embedded
 * PostgreSQL, started on first use and stopped at JVM exit, or the server named by {@value
 * #ENVIRONMENT_VARIABLE} when that is set. The migrations are applied once to a template database;
 * each {@link #freshDatabase()} copies it, which takes milliseconds. Thread-safe.
 */
public final class TestDatabases {

  /** Names an external server for tests, in any form {@link DatabaseSettings#parse} accepts. */
  public static final String ENVIRONMENT_VARIABLE = "TASKER_TEST_DATABASE_URL";

  // A template copied while another session is connected to it fails, so each JVM builds its own;
  // the pid in the name keeps several JVMs on one external server apart.
  private static final String TEMPLATE = "tasker_test_template_" + ProcessHandle.current().pid();
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static DatabaseSettings server;

  private TestDatabases() {}

  /**
   * A new empty database holding the current Tasker schema.
   *
   * @throws TaskerSchemaException when the server cannot be started or reached
   */
  public static DatabaseSettings freshDatabase() {
    DatabaseSettings admin = server();
    String name = "tasker_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    execute(admin, "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    return admin.withDatabase(name);
  }

  private static synchronized DatabaseSettings server() {
    if (server == null) {
      Optional<String> external = Optional.ofNullable(System.getenv(ENVIRONMENT_VARIABLE));
      DatabaseSettings admin;
      if (external.isPresent() && !external.get().isBlank()) {
        admin = DatabaseSettings.parse(external.get());
      } else {
        EmbeddedDatabase embedded = EmbeddedDatabase.startForTests();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-postgres-stop"));
        admin = embedded.settings();
      }
      createTemplate(admin);
      server = admin;
    }
    return server;
  }

  private static void createTemplate(DatabaseSettings admin) {
    execute(admin, "DROP DATABASE IF EXISTS " + TEMPLATE);
    execute(admin, "CREATE DATABASE " + TEMPLATE);
    TaskerSchema.migrate(admin.withDatabase(TEMPLATE));
  }

  private static void execute(DatabaseSettings settings, String sql) {
    try (Connection connection =
            DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new TaskerSchemaException("'" + sql + "' failed on " + settings + ": " + e.getMessage(), e);
    }
  }
}
