package dev.tasker.orchestrator.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskerMetricsTest {

  private final TaskerMetrics metrics = new TaskerMetrics();
  private final MeterRegistry registry = metrics.registry();

  @AfterEach
  void close() {
    metrics.close();
  }

  @Test
  void each_batch_sent_adds_its_steps_to_its_handlers_counter_and_its_size_to_the_batch_sizes() {
    metrics.batchSent("charge_card", 5);
    metrics.batchSent("charge_card", 3);
    metrics.batchSent("send_mail", 1);

    assertThat(registry.get("tasker.steps.dispatched").tag("handler", "charge_card").counter().count()).isEqualTo(8);
    assertThat(registry.get("tasker.steps.dispatched").tag("handler", "send_mail").counter().count()).isEqualTo(1);
    assertThat(registry.get("tasker.batch.size").summary().count()).isEqualTo(3);
    assertThat(registry.get("tasker.batch.size").summary().totalAmount()).isEqualTo(9);
  }

  @Test
  void step_outcomes_are_counted_by_handler_and_dead_letters_also_by_reason() {
    metrics.stepsCompleted("a", 4);
    metrics.stepsFailed("a", 2);
    metrics.stepsRetried("a", 1);
    metrics.stepsDeadLettered("a", "attempts_exhausted", 1);
    metrics.stepsDeadLettered("a", "timeout", 2);

    assertThat(registry.get("tasker.steps.completed").tag("handler", "a").counter().count()).isEqualTo(4);
    assertThat(registry.get("tasker.steps.failed").tag("handler", "a").counter().count()).isEqualTo(2);
    assertThat(registry.get("tasker.steps.retried").tag("handler", "a").counter().count()).isEqualTo(1);
    assertThat(registry.get("tasker.steps.dead.lettered").tags("handler", "a", "reason", "timeout").counter().count())
        .isEqualTo(2);
  }

  @Test
  void the_scrape_is_prometheus_text_with_tasker_names_and_histogram_buckets() {
    metrics.batchSent("charge_card", 5);
    metrics.dispatchRound(3_000_000);
    metrics.applyTransaction(2_000_000);
    metrics.resultsReceived("partial_result", "applied", 7);
    metrics.retentionRemoved("tasks", 3);
    metrics.bindApplierBacklog(() -> 12);

    String text = metrics.scrape();

    assertThat(text)
        .contains("tasker_steps_dispatched_total{handler=\"charge_card\"} 5.0")
        .contains("tasker_results_total{outcome=\"applied\",type=\"partial_result\"} 7.0")
        .contains("tasker_retention_rows_removed_total{table=\"tasks\"} 3.0")
        .contains("tasker_applier_backlog_messages 12.0")
        .contains("tasker_batch_size_steps_bucket{le=")
        .contains("tasker_dispatch_round_seconds_bucket{le=")
        .contains("tasker_apply_transaction_seconds_count 1");
    assertThat(TaskerMetrics.CONTENT_TYPE).startsWith("text/plain; version=0.0.4");
  }

  @Test
  void nothing_removed_by_retention_adds_no_series() {
    metrics.retentionRemoved("tasks", 0);

    assertThat(registry.find("tasker.retention.rows.removed").counters()).isEmpty();
  }

  @Test
  void jvm_meters_are_bound_once() {
    metrics.bindJvm();
    metrics.bindJvm();

    assertThat(metrics.scrape()).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads")
        .contains("system_cpu_count");
  }
}
