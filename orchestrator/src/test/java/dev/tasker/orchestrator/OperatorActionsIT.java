package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters and what an operator can do about them. */
class OperatorActionsIT {

  private TaskerTestSystem system;

  @BeforeEach
  void start() throws InterruptedException {
    TestHandlers.GATE_OPEN.set(false);
    system = TaskerTestSystem.start();
    system.worker(TestHandlers.all(), 4);
  }

  @AfterEach
  void stop() {
    system.close();
  }

  private TaskSnapshot aTaskStuckAtTheGate() throws InterruptedException {
    CreatedTask created = system.submit("gated", Map.of("n", UUID.randomUUID().toString()));
    TaskSnapshot task = system.awaitFinished(created.taskId());
    assertThat(task.state()).isEqualTo(TaskState.ERROR);
    return task;
  }

  private TaskSnapshot awaitState(UUID taskId, TaskState state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    TaskSnapshot task = system.client().task(taskId).orElseThrow();
    while (task.state() != state && System.nanoTime() < deadline) {
      Thread.sleep(20);
      task = system.client().task(taskId).orElseThrow();
    }
    return task;
  }

  @Test
  void a_permanently_failed_step_gets_an_open_dead_letter_with_its_reason_and_error() throws Exception {
    TaskSnapshot task = aTaskStuckAtTheGate();

    List<DeadLetter> letters = system.client().deadLetters(true, 100);

    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.stepId()).isEqualTo(task.step("gate").orElseThrow().stepId());
    assertThat(letter.stepName()).isEqualTo("gate");
    assertThat(letter.reason()).isEqualTo("permanent_failure");
    assertThat(letter.lastError().get("error_type").asText()).isEqualTo("gate_closed");
    assertThat(letter.resolvedAt()).isNull();
  }

  @Test
  void retrying_a_dead_lettered_step_resets_its_attempts_and_lets_the_task_complete() throws Exception {
    TaskSnapshot stuck = aTaskStuckAtTheGate();
    TestHandlers.GATE_OPEN.set(true);

    system.client().retryStep(stuck.step("gate").orElseThrow().stepId(), "test-operator");
    TaskSnapshot task = awaitState(stuck.taskId(), TaskState.COMPLETE);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("gate").orElseThrow().attempts()).isEqualTo(1);
    assertThat(task.step("after_gate").orElseThrow().results().get("value").asLong()).isEqualTo(2);
    assertThat(system.client().deadLetters(true, 100)).isEmpty();
    assertThat(system.client().deadLetters(false, 100)).extracting(DeadLetter::resolution).containsExactly("retried");
    assertThat(system.count("SELECT count(*) FROM tasker.task_transitions WHERE task_id = '" + stuck.taskId()
        + "' AND to_state = 'error'")).isEqualTo(1);
  }

  @Test
  void resolving_a_failed_step_by_hand_satisfies_its_dependents() throws Exception {
    TaskSnapshot stuck = aTaskStuckAtTheGate();

    system.client().resolveStep(stuck.step("gate").orElseThrow().stepId(), Map.of("value", 41), "test-operator");
    TaskSnapshot task = awaitState(stuck.taskId(), TaskState.COMPLETE);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("gate").orElseThrow().state()).isEqualTo(StepState.RESOLVED_MANUALLY);
    assertThat(task.step("after_gate").orElseThrow().results().get("value").asLong()).isEqualTo(42);
    assertThat(system.client().deadLetters(false, 100)).extracting(DeadLetter::resolution)
        .containsExactly("resolved_manually");
  }

  @Test
  void cancelling_a_running_task_cancels_its_steps_and_refuses_their_late_results() throws Exception {
    CreatedTask created = system.submit("slow", Map.of("n", 1));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (system.client().task(created.taskId()).orElseThrow().step("long_step").orElseThrow().state()
        != StepState.IN_PROGRESS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    system.client().cancelTask(created.taskId(), "test-operator");
    UUID stepId = system.client().task(created.taskId()).orElseThrow().step("long_step").orElseThrow().stepId();
    String late = "SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE step_id = '" + stepId
        + "' AND outcome = 'rejected'";
    while (system.count(late) == 0 && System.nanoTime() < deadline + Duration.ofSeconds(5).toNanos()) {
      Thread.sleep(50);
    }

    TaskSnapshot task = system.client().task(created.taskId()).orElseThrow();
    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(task.steps()).extracting(StepSnapshot::state).containsOnly(StepState.CANCELLED);
    assertThat(system.count(late)).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_discrepancies")).isZero();
  }

  @Test
  void actions_that_do_not_apply_are_refused_naming_the_state() throws Exception {
    CreatedTask created = system.submit("linear", Map.of("start", 1));
    TaskSnapshot done = system.awaitFinished(created.taskId());
    UUID completeStep = done.step("first").orElseThrow().stepId();

    assertThatThrownBy(() -> system.client().retryStep(completeStep, "op"))
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageContaining("is complete; only a step in error can be retried");
    assertThatThrownBy(() -> system.client().resolveStep(completeStep, Map.of(), "op"))
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageContaining("is complete");
    assertThatThrownBy(() -> system.client().cancelTask(created.taskId(), "op"))
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageContaining("is complete and cannot be cancelled");
    assertThatThrownBy(() -> system.client().retryStep(UUID.randomUUID(), "op"))
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageStartingWith("no step ");
  }
}
