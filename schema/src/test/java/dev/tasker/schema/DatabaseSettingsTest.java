package dev.tasker.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  @Test
  void a_postgres_url_becomes_a_jdbc_url_with_credentials() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://ada:s%40cret@db.local:5433/tasker");

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/tasker");
    assertThat(settings.username()).isEqualTo("ada");
    assertThat(settings.password()).isEqualTo("s@cret");
  }

  @Test
  void a_jdbc_url_is_taken_as_it_is() {
    DatabaseSettings settings = DatabaseSettings.parse("jdbc:postgresql://localhost/tasker?user=x");

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/tasker?user=x");
    assertThat(settings.username()).isNull();
  }

  @Test
  void query_parameters_are_kept() {
    assertThat(DatabaseSettings.parse("postgresql://h/db?sslmode=disable").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h/db?sslmode=disable");
  }

  @Test
  void an_unset_or_blank_variable_means_no_external_database() {
    assertThat(DatabaseSettings.fromEnvironment(Map.of())).isEmpty();
    assertThat(DatabaseSettings.fromEnvironment(Map.of("TASKER_DATABASE_URL", " "))).isEmpty();
  }

  @Test
  void a_wrong_scheme_is_named() {
    assertThatThrownBy(() -> DatabaseSettings.parse("mysql://h/db"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("'mysql'");
  }

  @Test
  void a_url_without_a_scheme_is_told_the_expected_form() {
    assertThatThrownBy(() -> DatabaseSettings.parse("nonsense"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("no scheme")
        .hasMessageContaining("postgres://user:password@host:port/database")
        .hasMessageNotContaining("null");
  }

  @Test
  void a_url_without_a_database_is_refused() {
    assertThatThrownBy(() -> DatabaseSettings.parse("postgres://user:pw@host:5432"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("no database name")
        .hasMessageNotContaining("pw");
  }

  @Test
  void the_password_is_never_printed() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://ada:hunter2@h/db");

    assertThat(settings.toString()).doesNotContain("hunter2");
    assertThat(DatabaseSettings.parse("jdbc:postgresql://h/db?password=hunter2").toString())
        .doesNotContain("hunter2");
  }

  @Test
  void another_database_on_the_same_server_keeps_host_and_parameters() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://u:p@h:1/a?sslmode=disable");

    assertThat(settings.withDatabase("b").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/b?sslmode=disable");
  }
}
