package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.metrics.Readiness;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape after real tasks ran through a Java worker: the counters moved, with the right tags. */
class MetricsIT {

  private TaskerTestSystem system;

  @BeforeEach
  void start() throws InterruptedException {
    system = TaskerTestSystem.start();
    system.worker(TestHandlers.all(), 8);
  }

  @AfterEach
  void stop() {
    system.close();
  }

  @Test
  void a_scrape_after_tasks_ran_counts_their_steps_by_handler_and_outcome() throws Exception {
    system.awaitFinished(system.submit("linear", Map.of("start", 1)).taskId());
    system.awaitFinished(system.submit("linear", Map.of("start", 2)).taskId());
    system.awaitFinished(system.submit("flaky", Map.of()).taskId());
    system.awaitFinished(system.submit("branches", Map.of()).taskId());

    // The metrics are recorded just after the commit that finished the task.
    String text = awaitScrapeWith("tasker_steps_completed_total{handler=\"tests.slow_success\"}", 2);

    // after_doomed (tests.add_one) never runs: its parent failed for good.
    assertThat(value(text, "tasker_steps_dispatched_total{handler=\"tests.add_one\"}")).isEqualTo(6);
    assertThat(value(text, "tasker_steps_completed_total{handler=\"tests.add_one\"}")).isEqualTo(6);
    assertThat(value(text, "tasker_steps_dispatched_total{handler=\"tests.fails_first_attempt\"}")).isEqualTo(2);
    assertThat(value(text, "tasker_steps_failed_total{handler=\"tests.fails_first_attempt\"}")).isEqualTo(1);
    assertThat(value(text, "tasker_steps_retried_total{handler=\"tests.fails_first_attempt\"}")).isEqualTo(1);
    assertThat(value(text, "tasker_steps_completed_total{handler=\"tests.fails_first_attempt\"}")).isEqualTo(1);
    assertThat(value(text,
        "tasker_steps_dead_lettered_total{handler=\"tests.fails_permanently\",reason=\"permanent_failure\"}"))
        .isEqualTo(1);
    assertThat(value(text, "tasker_results_total{outcome=\"applied\",type=\"partial_result\"}")).isGreaterThanOrEqualTo(11);
    assertThat(value(text, "tasker_batch_size_steps_count")).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "tasker_dispatch_round_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "tasker_apply_transaction_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(text)
        .contains("tasker_workers{language=\"java\",state=\"active\"} 1.0")
        .contains("tasker_applier_backlog_messages ")
        .contains("tasker_table_size_bytes{table=\"workflow_steps\"}")
        .contains("tasker_table_rows_estimate{table=\"tasks\"}")
        .contains("hikaricp_connections_active{pool=\"tasker-test\"}")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void steps_no_worker_serves_are_ready_and_steps_waiting_for_a_failed_parent_are_not() throws Exception {
    system.submit("raw", Map.of("n", 1));
    system.submit("raw", Map.of("n", 2));
    system.awaitFinished(system.submit("branches", Map.of()).taskId());

    String text = system.orchestrator().metrics().scrape();

    assertThat(value(text, "tasker_steps{handler=\"tests.raw\",state=\"ready\"}")).isEqualTo(2);
    // after_doomed stays pending with an unmet dependency.
    assertThat(text).doesNotContain("tasker_steps{handler=\"tests.add_one\"");
  }

  @Test
  void a_running_orchestrator_on_a_current_schema_is_ready() {
    Readiness.Report report = system.orchestrator().readiness().ready();

    assertThat(report.ready()).as(report.checks().toString()).isTrue();
    assertThat(report.checks()).containsExactly("router: bound", "database: reachable, schema current");
  }

  private String awaitScrapeWith(String series, double atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String text = system.orchestrator().metrics().scrape();
    while (value(text, series) < atLeast && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
      text = system.orchestrator().metrics().scrape();
    }
    return text;
  }

  private static double value(String text, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
