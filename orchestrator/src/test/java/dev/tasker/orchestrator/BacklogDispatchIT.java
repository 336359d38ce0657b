package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A backlog is dispatched as credit comes back, not at the sweep that is only a safety net. */
class BacklogDispatchIT {

  @Test
  void a_worker_serving_many_handlers_drains_a_backlog_without_waiting_for_the_sweep() throws Exception {
    OrchestratorConfig sweepsRarely = OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").poolSize(8)
        .sweepIntervalMs(120_000).build();
    try (TaskerTestSystem system = TaskerTestSystem.start(sweepsRarely)) {
      List<UUID> tasks = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        tasks.add(system.submit("linear", Map.of("start", i)).taskId());
      }
      // Credit 2 and every test handler: each claim round asks for 2 steps of each handler and can
      // take only 2 in all. A dispatcher that took that for "nothing more is ready" would wait for
      // the next sweep, two minutes away, after every pair of steps.
      system.worker(TestHandlers.all(), 2);

      for (UUID taskId : tasks) {
        assertThat(system.tasker.awaitFinished(taskId, Duration.ofSeconds(60)).state()).isEqualTo(TaskState.COMPLETE);
      }
    }
  }
}
