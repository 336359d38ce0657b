package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A task created by another process (its own pool, no template files) is dispatched at once: the
 * orchestrator is woken by the database notification, not by its safety-net sweep.
 */
class CrossProcessSubmitIT {

  @Test
  void a_task_created_elsewhere_is_dispatched_long_before_the_sweep_would_find_it() throws Exception {
    OrchestratorConfig slowSweep =
        OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
            .sweepIntervalMs(60_000).build();
    try (TaskerTestSystem system = TaskerTestSystem.start(slowSweep)) {
      system.worker(TestHandlers.all(), 4);
      Thread.sleep(500);
      try (HikariDataSource otherProcess = ConnectionPools.open(system.tasker.database(), 2, "other-process")) {
        TaskerClient client = new TaskerClient(otherProcess, TemplateRegistry.empty());
        long started = System.nanoTime();

        CreatedTask created =
            client.initializeTask(TaskRequest.builder("tests", "linear").context(Map.of("start", 1)).build());
        boolean finished = client.awaitFinished(List.of(created.taskId()), Duration.ofSeconds(20), Duration.ofMillis(10));

        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(finished).isTrue();
        assertThat(client.task(created.taskId()).orElseThrow().state()).isEqualTo(TaskState.COMPLETE);
        assertThat(elapsedMs).as("ms from creation to completion").isLessThan(10_000);
      }
    }
  }

  @Test
  void an_unknown_template_is_named_in_the_error() {
    try (TestOrchestrator tasker = TestOrchestrator.start(TemplateRegistry.empty())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> tasker.submit(TaskRequest.builder("nowhere", "nothing").version("9").build()))
          .isInstanceOf(UnknownTemplateException.class)
          .hasMessageContaining("nowhere/nothing:9");
    }
  }
}
