package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.internal.retention.Retention;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real database: tasks that finished before the cutoff go with every row about them
 * (steps, edges, transitions, batch memberships, batches, ledger rows, settled dead letters), while
 * an old task with an open dead letter, an old task still running and every younger task keep all
 * of theirs, row for row.
 */
class RetentionIT {

  private TaskerTestSystem system;

  @BeforeEach
  void start() throws InterruptedException {
    TestHandlers.GATE_OPEN.set(false);
    system = TaskerTestSystem.start();
    system.worker(TestHandlers.all(), 8);
  }

  @AfterEach
  void stop() {
    system.close();
  }

  @Test
  void finished_tasks_older_than_the_cutoff_go_with_all_their_rows_and_nothing_else_is_touched() throws Exception {
    List<UUID> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      old.add(finished(system.submit("linear", Map.of("start", i)).taskId(), TaskState.COMPLETE));
    }
    UUID settled = finished(system.submit("gated", Map.of("n", "settled")).taskId(), TaskState.ERROR);
    system.client().cancelTask(settled, "retention-test");
    old.add(settled);
    UUID openDeadLetter = finished(system.submit("gated", Map.of("n", "open")).taskId(), TaskState.ERROR);
    UUID running = system.submit("slow", Map.of()).taskId();
    awaitAllBatchesCompleted();
    Thread.sleep(5);
    Instant cutoff = Instant.now();
    Thread.sleep(5);
    List<UUID> young = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      young.add(finished(system.submit("linear", Map.of("start", 10 + i)).taskId(), TaskState.COMPLETE));
    }
    awaitAllBatchesCompleted();
    List<UUID> kept = new ArrayList<>(young);
    kept.add(openDeadLetter);
    kept.add(running);
    Map<String, Long> oldBefore = rowsOf(old);
    Map<String, Long> keptBefore = rowsOf(kept);
    assertThat(oldBefore).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());

    Retention.Removed removed;
    try (Connection connection = system.tasker.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      removed = Retention.removeFinishedBefore(connection, cutoff, Retention.TASKS_PER_PASS);
      connection.commit();
    }

    assertThat(removed.tasks()).isEqualTo(4);
    assertThat(removed.steps()).isEqualTo(oldBefore.get("workflow_steps"));
    assertThat(removed.batches()).isEqualTo(oldBefore.get("step_execution_batches"));
    assertThat(removed.ledgerRows()).isEqualTo(oldBefore.get("step_execution_batch_received_results"));
    assertThat(rowsOf(old)).as("rows of the old finished tasks").allSatisfy((table, rows) ->
        assertThat(rows).as(table).isZero());
    assertThat(rowsOf(kept)).as("rows of the tasks kept").isEqualTo(keptBefore);
    assertThat(system.client().task(openDeadLetter)).isPresent();
    assertThat(system.client().deadLetters(true, 100)).extracting(DeadLetter::taskId).containsExactly(openDeadLetter);

    try (Connection connection = system.tasker.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      assertThat(Retention.removeFinishedBefore(connection, cutoff, Retention.TASKS_PER_PASS).tasks())
          .as("a second pass").isZero();
      connection.commit();
    }
  }

  @Test
  void a_pass_takes_at_most_its_limit_and_the_next_pass_carries_on() throws Exception {
    List<UUID> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(system.submit("linear", Map.of("start", i)).taskId());
    }
    for (UUID task : tasks) {
      finished(task, TaskState.COMPLETE);
    }
    awaitAllBatchesCompleted();
    Thread.sleep(5);
    Instant cutoff = Instant.now();

    List<Long> perPass = new ArrayList<>();
    try (Connection connection = system.tasker.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      for (int pass = 0; pass < 3; pass++) {
        perPass.add(Retention.removeFinishedBefore(connection, cutoff, 2).tasks());
        connection.commit();
      }
    }

    assertThat(perPass).containsExactly(2L, 2L, 1L);
    assertThat(system.count("SELECT count(*) FROM tasker.tasks")).isZero();
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches")).isZero();
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batch_received_results")).isZero();
  }

  private UUID finished(UUID taskId, TaskState state) throws InterruptedException {
    assertThat(system.awaitFinished(taskId).state()).isEqualTo(state);
    return taskId;
  }

  /** Batch completions come after the partial result that finishes a task: wait for every one. */
  private void awaitAllBatchesCompleted() throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline && system.count("SELECT count(*) FROM tasker.step_execution_batches b"
        + " WHERE NOT EXISTS (SELECT 1 FROM tasker.step_execution_batch_received_results r"
        + " WHERE r.batch_id = b.batch_id AND r.message_type = 'batch_completion')"
        + " AND EXISTS (SELECT 1 FROM tasker.step_execution_batch_steps bs JOIN tasker.workflow_steps s USING (step_id)"
        + " JOIN tasker.tasks t USING (task_id) WHERE bs.batch_id = b.batch_id AND t.state <> 'in_progress')") > 0) {
      Thread.sleep(20);
    }
  }

  /** Rows about {@code tasks} in each table that holds any. */
  private Map<String, Long> rowsOf(List<UUID> tasks) throws Exception {
    String ids = tasks.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",", "ARRAY[", "]::uuid[]"));
    String steps = "(SELECT step_id FROM tasker.workflow_steps WHERE task_id = ANY(" + ids + "))";
    // Batches are listed through the ledger too, so a batch left behind without members still counts.
    String batches = "(SELECT batch_id FROM tasker.step_execution_batch_steps WHERE step_id IN " + steps
        + " UNION SELECT batch_id FROM tasker.step_execution_batch_received_results WHERE step_id IN " + steps + ")";
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("tasks", system.count("SELECT count(*) FROM tasker.tasks WHERE task_id = ANY(" + ids + ")"));
    rows.put("workflow_steps", system.count("SELECT count(*) FROM tasker.workflow_steps WHERE task_id = ANY(" + ids + ")"));
    rows.put("step_edges", system.count("SELECT count(*) FROM tasker.step_edges WHERE task_id = ANY(" + ids + ")"));
    rows.put("task_transitions",
        system.count("SELECT count(*) FROM tasker.task_transitions WHERE task_id = ANY(" + ids + ")"));
    rows.put("workflow_step_transitions", system.count(
        "SELECT count(*) FROM tasker.workflow_step_transitions WHERE step_id IN " + steps));
    rows.put("step_execution_batch_steps", system.count(
        "SELECT count(*) FROM tasker.step_execution_batch_steps WHERE step_id IN " + steps));
    rows.put("dead_letters", system.count("SELECT count(*) FROM tasker.dead_letters WHERE task_id = ANY(" + ids + ")"));
    rows.put("step_execution_batches", system.count(
        "SELECT count(*) FROM tasker.step_execution_batches WHERE batch_id IN " + batches));
    rows.put("step_execution_batch_transitions", system.count(
        "SELECT count(*) FROM tasker.step_execution_batch_transitions WHERE batch_id IN " + batches));
    rows.put("step_execution_batch_received_results", system.count(
        "SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE batch_id IN " + batches));
    return rows;
  }
}
