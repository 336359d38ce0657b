package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.schema.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL that {@code tasker orchestrator}, {@code tasker demo} and {@code tasker
 * bench} start when TASKER_DATABASE_URL is unset does not lose commits in a crash.
 */
class DurableEmbeddedDatabaseIT {

  // Whatever the environment running the tests says, these choices must start an embedded server.
  private static final Map<String, String> NO_DATABASE_URL = Map.of();

  @TempDir Path dataDirectory;

  @Test
  void the_demo_and_bench_database_runs_with_fsync_and_synchronous_commit_on() throws SQLException {
    try (Databases.Choice database = Databases.externalOrEmbedded(null, NO_DATABASE_URL)) {
      assertThat(database.embedded()).isNotNull();
      assertDurable(database.settings());
    }
  }

  @Test
  void the_orchestrator_database_runs_with_fsync_and_synchronous_commit_on_after_a_restart_too()
      throws SQLException {
    try (Databases.Choice database = Databases.externalOrPersistentEmbedded(dataDirectory, NO_DATABASE_URL)) {
      assertThat(database.embedded()).isNotNull();
      assertDurable(database.settings());
    }
    try (Databases.Choice restarted = Databases.externalOrPersistentEmbedded(dataDirectory, NO_DATABASE_URL)) {
      assertThat(restarted.embedded()).isNotNull();
      assertDurable(restarted.settings());
    }
  }

  private static void assertDurable(DatabaseSettings database) throws SQLException {
    assertThat(show(database, "fsync")).isEqualTo("on");
    assertThat(show(database, "synchronous_commit")).isEqualTo("on");
    assertThat(show(database, "full_page_writes")).isEqualTo("on");
  }

  private static String show(DatabaseSettings database, String setting) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW " + setting)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }
}
