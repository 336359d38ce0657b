package dev.tasker.orchestrator.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerGaugesTest {

  @Test
  void workers_are_counted_by_state_and_language_at_each_scrape() {
    WorkerRegistry registry = new WorkerRegistry();
    try (TaskerMetrics metrics = new TaskerMetrics()) {
      metrics.bindWorkers(registry);
      registry.register(new byte[] {1}, hello("w1", "java"), JsonCodec.instance(), 0);
      registry.register(new byte[] {2}, hello("w2", "java"), JsonCodec.instance(), 0);
      registry.register(new byte[] {3}, hello("w3", "ruby"), JsonCodec.instance(), 0);

      String first = metrics.scrape();
      registry.remove(registry.byWorkerId("w3").orElseThrow());
      String second = metrics.scrape();

      assertThat(first).contains("tasker_workers{language=\"java\",state=\"active\"} 2.0")
          .contains("tasker_workers{language=\"ruby\",state=\"active\"} 1.0");
      assertThat(second).contains("tasker_workers{language=\"java\",state=\"active\"} 2.0")
          .doesNotContain("language=\"ruby\"");
    }
  }

  private static Hello hello(String workerId, String language) {
    return new Hello(workerId, language, "0", List.of("1"), List.of("h"), 4, null);
  }
}
