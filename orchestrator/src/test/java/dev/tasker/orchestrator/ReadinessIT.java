package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.internal.metrics.Readiness;
import dev.tasker.schema.EmbeddedDatabase;
import dev.tasker.schema.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness against a database that goes away, on a PostgreSQL of the test's own (the one the
 * other tests share must stay up), and against a schema behind this build's migrations.
 */
class ReadinessIT {

  private static final Duration PROBE_ANSWERS_WITHIN = Duration.ofSeconds(5);

  @Test
  void with_the_database_stopped_the_orchestrator_is_not_ready_within_five_seconds_and_stays_running()
      throws Exception {
    EmbeddedDatabase postgres = EmbeddedDatabase.startForTests();
    boolean stopped = false;
    try (HikariDataSource pool = ConnectionPools.open(postgres.settings(), 8, "readiness-it");
        Orchestrator orchestrator = Orchestrator.builder().dataSource(pool)
            .config(OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
                .httpEndpoint("127.0.0.1:0").build())
            .build().start()) {
      String url = orchestrator.httpUrl().orElseThrow();
      assertThat(orchestrator.readiness().ready().ready()).isTrue();
      assertThat(get(url + "/health/ready").statusCode()).isEqualTo(200);

      postgres.close();
      stopped = true;
      long stoppedAt = System.nanoTime();
      Readiness.Report report = timedReady(orchestrator);
      while (report.ready() && System.nanoTime() - stoppedAt < PROBE_ANSWERS_WITHIN.toNanos()) {
        Thread.sleep(50);
        report = timedReady(orchestrator);
      }

      assertThat(report.ready()).as("ready %s after the database stopped", Duration.ofNanos(System.nanoTime() - stoppedAt))
          .isFalse();
      assertThat(System.nanoTime() - stoppedAt).isLessThan(PROBE_ANSWERS_WITHIN.toNanos());
      assertThat(report.checks()).singleElement().asString().startsWith("database: ");
      assertThat(timedReady(orchestrator).ready()).isFalse();
      assertThat(orchestrator.state()).isEqualTo(Orchestrator.State.RUNNING);
      HttpResponse<String> ready = get(url + "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"status\":\"down\"", "\"reasons\":[\"database: ");
      assertThat(get(url + "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(url + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("tasker_applier_backlog_messages", "jvm_memory_used_bytes");
    } finally {
      if (!stopped) {
        postgres.close();
      }
    }
  }

  @Test
  void a_schema_behind_this_build_is_not_ready_and_names_both_versions() throws Exception {
    try (HikariDataSource pool = ConnectionPools.open(TestDatabases.freshDatabase(), 2, "readiness-schema-it");
        Readiness readiness = new Readiness(pool, () -> true)) {
      String newest;
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
        var rs = statement.executeQuery(
            "SELECT version FROM tasker.flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
        rs.next();
        newest = rs.getString(1);
        statement.execute("DELETE FROM tasker.flyway_schema_history WHERE version = '" + newest + "'");
      }

      Readiness.Report report = readiness.ready();

      assertThat(report.ready()).isFalse();
      assertThat(report.checks()).containsExactly(
          "schema: at version " + (Integer.parseInt(newest) - 1) + ", this build expects " + newest);
    }
  }

  @Test
  void an_orchestrator_not_started_is_not_ready_because_its_router_is_not_bound() {
    try (HikariDataSource pool = ConnectionPools.open(TestDatabases.freshDatabase(), 2, "readiness-router-it");
        Orchestrator orchestrator = Orchestrator.builder().dataSource(pool).build()) {
      Readiness.Report report = orchestrator.readiness().ready();

      assertThat(report.ready()).isFalse();
      assertThat(report.checks()).containsExactly("router: the orchestrator is not running with its endpoints bound");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(PROBE_ANSWERS_WITHIN).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** ready() itself must answer within the probe budget, whatever the database does. */
  private static Readiness.Report timedReady(Orchestrator orchestrator) {
    long started = System.nanoTime();
    Readiness.Report report = orchestrator.readiness().ready();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROBE_ANSWERS_WITHIN);
    return report;
  }
}
