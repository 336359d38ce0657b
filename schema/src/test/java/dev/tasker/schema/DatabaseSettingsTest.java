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
  void a_plus_in_the_password_stays_a_plus() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://ada:pa+ss%2Bw%20rd@db.local/tasker");

    assertThat(settings.password()).isEqualTo("pa+ss+w rd");
  }

  @Test
  void a_percent_escaped_user_and_utf8_password_are_decoded() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://ad%40a:p%C3%A4ss%3A\uD83D\uDD11@h/db");

    assertThat(settings.username()).isEqualTo("ad@a");
    assertThat(settings.password()).isEqualTo("päss:\uD83D\uDD11");
  }

  @Test
  void a_host_name_with_an_underscore_as_compose_service_names_have_is_accepted() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://u:p@my_db:5432/x");

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://my_db:5432/x");
    assertThat(settings.username()).isEqualTo("u");
    assertThat(settings.password()).isEqualTo("p");
    assertThat(DatabaseSettings.parse("postgresql://tasker_postgres_1/x?sslmode=disable").jdbcUrl())
        .isEqualTo("jdbc:postgresql://tasker_postgres_1/x?sslmode=disable");
  }

  @Test
  void an_ipv6_literal_host_is_kept_in_brackets() {
    assertThat(DatabaseSettings.parse("postgres://u:p@[::1]:5433/x").jdbcUrl())
        .isEqualTo("jdbc:postgresql://[::1]:5433/x");
    assertThat(DatabaseSettings.parse("postgresql://[2001:db8::7]/x").jdbcUrl())
        .isEqualTo("jdbc:postgresql://[2001:db8::7]/x");
  }

  @Test
  void a_url_without_credentials_or_port_has_none() {
    DatabaseSettings settings = DatabaseSettings.parse("postgresql://localhost/tasker");

    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/tasker");
    assertThat(settings.username()).isNull();
    assertThat(settings.password()).isNull();
  }

  @Test
  void a_user_without_a_password_has_no_password() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://ada@h:5432/db");

    assertThat(settings.username()).isEqualTo("ada");
    assertThat(settings.password()).isNull();
  }

  @Test
  void a_url_without_a_host_is_refused() {
    assertThatThrownBy(() -> DatabaseSettings.parse("postgres:///tasker"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("no host");
    assertThatThrownBy(() -> DatabaseSettings.parse("postgres://u:secret@:5432/tasker"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("no host")
        .hasMessageNotContaining("secret");
  }

  @Test
  void a_port_that_is_not_a_port_is_refused() {
    assertThatThrownBy(() -> DatabaseSettings.parse("postgres://u:secret@h:70000/tasker"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageContaining("port must be a number from 1 to 65535 but was '70000'")
        .hasMessageNotContaining("secret");
  }

  @Test
  void a_broken_percent_escape_in_the_password_is_refused_without_echoing_it() {
    assertThatThrownBy(() -> DatabaseSettings.parse("postgres://u:se%zzcret@h/tasker"))
        .isInstanceOf(InvalidDatabaseUrlException.class)
        .hasMessageNotContaining("cret");
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
    assertThat(DatabaseSettings.parse("jdbc:postgresql://h/db?user=ada&password=hunter2&ssl=true").redactedUrl())
        .isEqualTo("jdbc:postgresql://h/db?user=ada&password=***&ssl=true");
  }

  @Test
  void another_database_on_the_same_server_keeps_host_and_parameters() {
    DatabaseSettings settings = DatabaseSettings.parse("postgres://u:p@h:1/a?sslmode=disable");

    assertThat(settings.withDatabase("b").jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/b?sslmode=disable");
  }
}
