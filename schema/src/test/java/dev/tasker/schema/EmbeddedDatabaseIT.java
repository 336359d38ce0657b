package dev.tasker.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which embedded servers trade durability for speed: only the one for throw-away test databases. */
class EmbeddedDatabaseIT {

  @Test
  void the_server_for_tests_runs_with_fsync_synchronous_commit_and_full_page_writes_off() throws SQLException {
    try (EmbeddedDatabase server = EmbeddedDatabase.startForTests()) {
      assertThat(show(server, "fsync")).isEqualTo("off");
      assertThat(show(server, "synchronous_commit")).isEqualTo("off");
      assertThat(show(server, "full_page_writes")).isEqualTo("off");
    }
  }

  @Test
  void a_server_with_extra_settings_stays_durable() throws SQLException {
    try (EmbeddedDatabase server = EmbeddedDatabase.start(Map.of("max_connections", "50"), null)) {
      assertThat(show(server, "max_connections")).isEqualTo("50");
      assertThat(show(server, "fsync")).isEqualTo("on");
      assertThat(show(server, "synchronous_commit")).isEqualTo("on");
      assertThat(show(server, "full_page_writes")).isEqualTo("on");
    }
  }

  private static String show(EmbeddedDatabase server, String setting) throws SQLException {
    DatabaseSettings database = server.settings();
    try (Connection connection =
            DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW " + setting)) {
      assertThat(result.next()).isTrue();
      return result.getString(1);
    }
  }
}
