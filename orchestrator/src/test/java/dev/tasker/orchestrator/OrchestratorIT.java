package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrchestratorIT {

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
  void a_linear_task_runs_each_step_after_its_parent_and_completes() throws Exception {
    CreatedTask created = system.submit("linear", Map.of("start", 10));

    TaskSnapshot task = system.awaitFinished(created.taskId());

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("third").orElseThrow().results().get("value").asLong()).isEqualTo(13);
    assertThat(task.steps()).extracting(StepSnapshot::state).containsOnly(StepState.COMPLETE);
    assertThat(task.steps()).extracting(StepSnapshot::attempts).containsOnly(1);
  }

  @Test
  void a_retryable_failure_succeeds_on_its_second_attempt() throws Exception {
    CreatedTask created = system.submit("flaky", Map.of());

    TaskSnapshot task = system.awaitFinished(created.taskId());

    StepSnapshot step = task.step("flaky_step").orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(step.attempts()).isEqualTo(2);
    assertThat(step.results().get("attempt").asInt()).isEqualTo(2);
    assertThat(step.lastError().get("message").asText()).isEqualTo("transient outage");
    assertThat(system.count(
            "SELECT count(*) FROM tasker.workflow_step_transitions WHERE step_id = '" + step.stepId()
                + "' AND to_state = 'waiting_for_retry'"))
        .isEqualTo(1);
  }

  @Test
  void a_permanent_failure_ends_the_task_in_error_after_its_independent_branch_completes() throws Exception {
    CreatedTask created = system.submit("branches", Map.of());

    TaskSnapshot task = system.awaitFinished(created.taskId());

    assertThat(task.state()).isEqualTo(TaskState.ERROR);
    assertThat(task.step("doomed").orElseThrow().state()).isEqualTo(StepState.ERROR);
    assertThat(task.step("doomed").orElseThrow().attempts()).isEqualTo(1);
    assertThat(task.step("after_doomed").orElseThrow().state()).isEqualTo(StepState.PENDING);
    assertThat(task.step("healthy").orElseThrow().state()).isEqualTo(StepState.COMPLETE);
    assertThat(task.step("after_healthy").orElseThrow().state()).isEqualTo(StepState.COMPLETE);
  }

  @Test
  void creating_the_same_task_twice_returns_the_first() {
    CreatedTask first = system.submit("linear", Map.of("start", 1));
    CreatedTask second = system.submit("linear", Map.of("start", 1));

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.taskId()).isEqualTo(first.taskId());
  }
}
