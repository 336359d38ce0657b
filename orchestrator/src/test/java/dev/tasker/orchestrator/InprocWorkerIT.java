package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker in the orchestrator's own JVM can use an inproc:// endpoint beside the TCP one. */
class InprocWorkerIT {

  @Test
  void a_worker_sharing_the_orchestrators_context_runs_steps_over_inproc() throws Exception {
    OrchestratorConfig config = OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0", "inproc://tasker-inproc-test").heartbeatIntervalMs(200).poolSize(8).build();
    TemplateRegistry templates = TemplateRegistry.fromDirectory(Path.of("src/test/resources/templates"), null);
    try (TestOrchestrator tasker = TestOrchestrator.start(templates, config);
        StepWorker worker = StepWorker.builder()
            .endpoint("inproc://tasker-inproc-test")
            .zContext(tasker.orchestrator().zContext())
            .handlers(TestHandlers.all())
            .build()
            .start()) {
      assertThat(worker.awaitRegistered(Duration.ofSeconds(10))).isTrue();

      CreatedTask created = tasker.submit(TaskRequest.builder("tests", "linear").context(Map.of("start", 40)).build());
      TaskSnapshot task = tasker.awaitFinished(created.taskId(), Duration.ofSeconds(20));

      assertThat(tasker.orchestrator().endpoints()).contains("inproc://tasker-inproc-test");
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(task.step("third").orElseThrow().results().get("value").asLong()).isEqualTo(43);
    }
  }
}
