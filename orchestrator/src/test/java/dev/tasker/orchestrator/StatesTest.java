package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatesTest {

  @Test
  void a_step_moves_through_its_allowed_states() {
    assertThat(StepState.PENDING.canTransitionTo(StepState.IN_PROGRESS)).isTrue();
    assertThat(StepState.IN_PROGRESS.canTransitionTo(StepState.WAITING_FOR_RETRY)).isTrue();
    assertThat(StepState.WAITING_FOR_RETRY.canTransitionTo(StepState.PENDING)).isTrue();
    assertThat(StepState.IN_PROGRESS.canTransitionTo(StepState.COMPLETE)).isTrue();
  }

  @Test
  void a_completed_step_cannot_change_again() {
    for (StepState target : StepState.values()) {
      assertThat(StepState.COMPLETE.canTransitionTo(target)).as("complete -> %s", target).isFalse();
    }
    assertThatThrownBy(() -> StepState.COMPLETE.requireTransitionTo(StepState.IN_PROGRESS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("step transition complete -> in_progress is not allowed");
  }

  @Test
  void a_pending_step_cannot_complete_without_running() {
    assertThat(StepState.PENDING.canTransitionTo(StepState.COMPLETE)).isFalse();
  }

  @Test
  void a_finished_task_cannot_start_again_but_an_errored_one_can_be_resumed() {
    assertThat(TaskState.COMPLETE.canTransitionTo(TaskState.IN_PROGRESS)).isFalse();
    assertThat(TaskState.ERROR.canTransitionTo(TaskState.IN_PROGRESS)).isTrue();
    assertThat(TaskState.ERROR.isTerminal()).isTrue();
  }

  @Test
  void database_names_are_lower_case() {
    assertThat(StepState.WAITING_FOR_RETRY.dbName()).isEqualTo("waiting_for_retry");
    assertThat(StepState.fromDbName("resolved_manually")).isEqualTo(StepState.RESOLVED_MANUALLY);
    assertThat(TaskState.fromDbName("in_progress")).isEqualTo(TaskState.IN_PROGRESS);
  }
}
