package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.worker.internal.StepLogContext;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class StepLogContextTest {

  @Test
  void theStepsIdsAreInTheMdcWhileItsHandlerRunsAndGoneAfter() {
    UUID task = UUID.randomUUID();
    UUID step = UUID.randomUUID();
    UUID batch = UUID.randomUUID();
    MDC.put("unrelated", "kept");

    try (var ids = StepLogContext.of("worker-1", task, step, batch)) {
      assertThat(MDC.getCopyOfContextMap()).containsAllEntriesOf(Map.of("worker_id", "worker-1",
          "task_id", task.toString(), "step_id", step.toString(), "batch_id", batch.toString()));
    }

    assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("unrelated", "kept"));
    MDC.remove("unrelated");
  }
}
