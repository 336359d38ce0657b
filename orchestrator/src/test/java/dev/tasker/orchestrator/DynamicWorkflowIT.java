package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.BatchCursor;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decision points, deferred convergence, batch fan-out and checkpoint yields end to end, on
 * templates in upstream's format, checked from the database.
 */
class DynamicWorkflowIT {

  private static final int MAX_BATCH_WORKERS = 8;
  /** Rows processed per batch worker, by batch worker step name and attempt: to prove once-only. */
  private static final Map<String, List<long[]>> processed = new ConcurrentHashMap<>();
  /** When set, the batch worker of batch 002 fails once after its second checkpoint. */
  private static final AtomicBoolean failAfterSecondCheckpoint = new AtomicBoolean();

  private static TestOrchestrator tasker;
  private static StepWorker worker;

  @BeforeAll
  static void start() throws Exception {
    TemplateRegistry templates = TemplateRegistry.fromDirectory(Path.of("src/test/resources/templates-dynamic"), "test");
    OrchestratorConfig config = OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .maxBatchWorkersPerTask(MAX_BATCH_WORKERS).build();
    tasker = TestOrchestrator.start(templates, config);
    worker = StepWorker.builder().endpoint(tasker.endpoint()).handlers(handlers()).concurrency(8)
        .drainTimeout(Duration.ofSeconds(5)).build().start();
    assertThat(worker.awaitRegistered(Duration.ofSeconds(10))).isTrue();
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (tasker != null) {
      tasker.close();
    }
  }

  static Map<String, StepHandler> handlers() {
    return Map.of(
        "conditional.validate", context -> context.taskContext().path("yield").asBoolean()
            ? StepResult.checkpointYield(0, 0, null)
            : StepResult.success(Map.of("amount", context.taskContext().path("amount").asDouble())),
        "conditional.route", context -> {
          double amount = context.taskContext().path("amount").asDouble();
          if (context.taskContext().path("choose").isTextual()) {
            return StepResult.decision(List.of(context.taskContext().path("choose").asText()));
          }
          long small = context.handlerConfig().path("thresholds").path("small").asLong();
          long large = context.handlerConfig().path("thresholds").path("large").asLong();
          List<String> route = amount < small ? List.of("auto_approve")
              : amount <= large ? List.of("manager_approval")
              : List.of("manager_approval", "finance_review");
          return StepResult.decision(route, Map.of("amount", amount));
        },
        "conditional.approve", context -> StepResult.success(Map.of("approved_by", context.handlerConfig().path("role").asText())),
        "conditional.finalize", context -> StepResult.success(Map.of("saw", new TreeSet<>(context.previousResults().keySet()))),
        "csv.analyze", context -> {
          long rows = context.taskContext().path("rows").asLong();
          if (rows == 0) {
            return StepResult.noBatches();
          }
          List<BatchCursor> cursors = new ArrayList<>(BatchCursor.split(rows, context.handlerConfig().path("batch_size").asLong()));
          if (context.taskContext().path("overlap").asBoolean()) {
            BatchCursor second = cursors.get(1);
            cursors.set(1, new BatchCursor(second.batchId(), second.startCursor() - 50, second.endCursor(), second.batchSize()));
          }
          return StepResult.batches("process_csv_batch", cursors, rows);
        },
        "csv.process", DynamicWorkflowIT::processRows,
        "csv.aggregate", context -> {
          long sum = 0;
          long rows = 0;
          for (Map.Entry<String, JsonNode> result : context.previousResults().entrySet()) {
            if (result.getKey().startsWith("process_csv_batch_")) {
              sum += result.getValue().path("sum").asLong();
              rows += result.getValue().path("rows").asLong();
            }
          }
          return StepResult.success(Map.of("sum", sum, "rows", rows));
        });
  }

  /**
   * Sums the row numbers of its cursor's range (row n is worth n), yielding a checkpoint every
   * {@code checkpoint_every} rows; resumes from the checkpoint it is given.
   */
  private static StepResult processRows(dev.tasker.worker.StepContext context) {
    BatchCursor cursor = context.cursor().orElseThrow();
    long every = context.handlerConfig().path("checkpoint_every").asLong();
    long from = cursor.startCursor();
    long sum = 0;
    if (context.checkpoint().isPresent()) {
      from = context.checkpoint().get().path("cursor").asLong();
      sum = context.checkpoint().get().path("accumulated_results").path("sum").asLong();
    }
    long until = Math.min(cursor.endCursor(), from + every);
    processed.computeIfAbsent(context.stepName(), n -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new long[] {from, until, context.attempt()});
    for (long row = from; row < until; row++) {
      sum += row;
    }
    boolean afterSecondCheckpoint = from - cursor.startCursor() >= 2 * every;
    if (cursor.batchId().equals("002") && afterSecondCheckpoint && until < cursor.endCursor()
        && failAfterSecondCheckpoint.compareAndSet(true, false)) {
      return StepResult.retryableFailure("worker lost its file handle after the second checkpoint");
    }
    if (until < cursor.endCursor()) {
      return StepResult.checkpointYield(until, until - cursor.startCursor(), Map.of("sum", sum));
    }
    return StepResult.success(Map.of("rows", cursor.endCursor() - cursor.startCursor(), "sum", sum));
  }

  @ParameterizedTest(name = "amount {0}")
  @CsvSource({"500, auto_approve", "3000, manager_approval", "10000, finance_review manager_approval"})
  void a_decision_creates_exactly_the_steps_it_chose_and_the_convergence_sees_only_them(double amount, String chosen)
      throws Exception {
    UUID taskId = submit("conditional_approval", "approval_routing", Map.of("amount", amount));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(20));

    List<String> ran = List.of(chosen.split(" "));
    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    TreeSet<String> expected = new TreeSet<>(ran);
    expected.addAll(List.of("validate_request", "routing_decision", "finalize_approval"));
    assertThat(strings("SELECT name FROM tasker.workflow_steps WHERE task_id = ? ORDER BY name", taskId))
        .containsExactlyElementsOf(expected);
    assertThat(strings("SELECT DISTINCT state FROM tasker.workflow_steps WHERE task_id = ?", taskId))
        .containsExactly("complete");
    // Every step went out in a batch once and its result is in the ledger as applied.
    assertThat(strings("""
        SELECT s.name FROM tasker.workflow_steps s
          JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id
          JOIN tasker.step_execution_batch_received_results r ON r.batch_id = bs.batch_id AND r.step_id = s.step_id
         WHERE s.task_id = ? AND r.outcome = 'applied' ORDER BY s.name
        """, taskId)).containsExactlyElementsOf(expected);
    // The created steps' first transition names the decision that created them.
    assertThat(strings("""
        SELECT s.name FROM tasker.workflow_steps s
          JOIN tasker.workflow_step_transitions t ON t.step_id = s.step_id AND t.sort_key = 1
          JOIN tasker.workflow_steps d ON d.step_id = (t.metadata ->> 'created_by')::uuid
         WHERE s.task_id = ? AND d.name = 'routing_decision' ORDER BY s.name
        """, taskId)).containsExactlyElementsOf(new TreeSet<>(concat(ran, "finalize_approval")));
    // Its dependencies are the intersection: exactly the approvals that ran.
    assertThat(strings("""
        SELECT p.name FROM tasker.step_edges e
          JOIN tasker.workflow_steps p ON p.step_id = e.from_step_id
          JOIN tasker.workflow_steps c ON c.step_id = e.to_step_id
         WHERE c.task_id = ? AND c.name = 'finalize_approval' ORDER BY p.name
        """, taskId)).containsExactlyElementsOf(new TreeSet<>(ran));
    List<String> saw = new ArrayList<>();
    task.step("finalize_approval").orElseThrow().results().path("saw").forEach(n -> saw.add(n.asText()));
    TreeSet<String> inputs = new TreeSet<>(ran);
    inputs.addAll(List.of("validate_request", "routing_decision"));
    assertThat(saw).containsExactlyElementsOf(inputs);
  }

  @Test
  void a_batch_plan_creates_one_worker_per_cursor_and_every_row_is_processed_once() throws Exception {
    processed.clear();
    UUID taskId = submit("csv_processing", "csv_inventory", Map.of("rows", 1000));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(30));

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(strings("SELECT name FROM tasker.workflow_steps WHERE task_id = ? AND kind = 'batch_worker' ORDER BY name",
        taskId)).containsExactly("process_csv_batch_001", "process_csv_batch_002", "process_csv_batch_003",
            "process_csv_batch_004", "process_csv_batch_005");
    assertThat(task.step("aggregate_csv_results").orElseThrow().results().path("sum").asLong()).isEqualTo(999L * 1000 / 2);
    assertThat(task.step("aggregate_csv_results").orElseThrow().results().path("rows").asLong()).isEqualTo(1000);
    // Each row once: the ranges the handlers processed tile [0, 1000) without overlap.
    TreeMap<Long, Long> ranges = new TreeMap<>();
    processed.values().forEach(list -> list.forEach(r -> assertThat(ranges.put(r[0], r[1])).isNull()));
    long next = 0;
    for (Map.Entry<Long, Long> range : ranges.entrySet()) {
      assertThat(range.getKey()).isEqualTo(next);
      next = range.getValue();
    }
    assertThat(next).isEqualTo(1000);
    // Each worker yielded three checkpoints (at 50, 100, 150 of its 200 rows), kept in the ledger.
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.step_execution_batch_received_results r"
        + " JOIN tasker.workflow_steps s ON s.step_id = r.step_id WHERE s.task_id = '" + taskId
        + "' AND r.status = 'checkpoint' AND r.outcome = 'applied'")).isEqualTo(15);
  }

  @Test
  void a_batch_worker_that_fails_after_its_second_checkpoint_resumes_from_it() throws Exception {
    processed.clear();
    failAfterSecondCheckpoint.set(true);
    UUID taskId = submit("csv_processing", "csv_inventory", Map.of("rows", 1000, "run", "resume"));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(30));

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(failAfterSecondCheckpoint.get()).isFalse();
    assertThat(task.step("aggregate_csv_results").orElseThrow().results().path("sum").asLong()).isEqualTo(999L * 1000 / 2);
    // Batch 002 covers [200, 400): it failed on the range after its second checkpoint (row 300),
    // and its retry started from that checkpoint, not from 200.
    List<long[]> runs = processed.get("process_csv_batch_002");
    long[] failed = runs.stream().filter(r -> r[0] == 300).findFirst().orElseThrow();
    long[] retried = runs.stream().filter(r -> r[0] == 300 && r[2] > failed[2]).findFirst().orElseThrow();
    assertThat(retried[0]).isGreaterThanOrEqualTo(300);
    assertThat(runs.stream().filter(r -> r[0] == 200)).hasSize(1);
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.step_execution_batch_received_results r"
        + " JOIN tasker.workflow_steps s ON s.step_id = r.step_id WHERE s.task_id = '" + taskId
        + "' AND s.name = 'process_csv_batch_002' AND r.status = 'checkpoint'")).isEqualTo(3);
  }

  @Test
  void no_batches_completes_the_task_with_the_convergence_step_only() throws Exception {
    UUID taskId = submit("csv_processing", "csv_inventory", Map.of("rows", 0));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(20));

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(strings("SELECT name FROM tasker.workflow_steps WHERE task_id = ? ORDER BY name", taskId))
        .containsExactly("aggregate_csv_results", "analyze_csv");
    assertThat(task.step("aggregate_csv_results").orElseThrow().results().path("rows").asLong()).isZero();
  }

  @Test
  void a_decision_naming_a_step_that_is_not_its_declared_downstream_fails_the_step_and_creates_nothing() throws Exception {
    UUID taskId = submit("conditional_approval", "approval_routing", Map.of("amount", 1, "choose", "validate_request"));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(20));

    assertThat(task.state()).isEqualTo(TaskState.ERROR);
    StepSnapshot decision = task.step("routing_decision").orElseThrow();
    assertThat(decision.state()).isEqualTo(StepState.ERROR);
    assertThat(decision.lastError().path("error_type").asText()).isEqualTo("invalid_decision");
    assertThat(decision.lastError().path("message").asText())
        .contains("'validate_request'", "not one of the declared downstream steps of 'routing_decision'");
    assertThat(strings("SELECT name FROM tasker.workflow_steps WHERE task_id = ? ORDER BY name", taskId))
        .containsExactly("routing_decision", "validate_request");
    // The result itself is kept in the ledger.
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.step_execution_batch_received_results"
        + " WHERE step_id = '" + decision.stepId() + "' AND status = 'completed'")).isEqualTo(1);
  }

  @Test
  void a_batch_plan_over_the_bound_or_with_overlapping_cursors_fails_the_step_and_creates_nothing() throws Exception {
    UUID over = submit("csv_processing", "csv_inventory", Map.of("rows", 200 * (MAX_BATCH_WORKERS + 1)));
    UUID overlapping = submit("csv_processing", "csv_inventory", Map.of("rows", 1000, "overlap", true));
    TaskSnapshot overTask = tasker.awaitFinished(over, Duration.ofSeconds(20));
    TaskSnapshot overlapTask = tasker.awaitFinished(overlapping, Duration.ofSeconds(20));

    assertThat(overTask.state()).isEqualTo(TaskState.ERROR);
    assertThat(overTask.step("analyze_csv").orElseThrow().lastError().path("message").asText())
        .contains("asks for 9 workers", "at most 8 batch workers", "max_batch_workers_per_task");
    assertThat(overlapTask.step("analyze_csv").orElseThrow().lastError().path("message").asText())
        .contains("cursor ranges overlap", "batch 002 [150, 400)");
    assertThat(overlapTask.step("analyze_csv").orElseThrow().lastError().path("error_type").asText())
        .isEqualTo("invalid_batch_plan");
    for (UUID taskId : List.of(over, overlapping)) {
      assertThat(strings("SELECT name FROM tasker.workflow_steps WHERE task_id = ?", taskId))
          .containsExactly("analyze_csv");
    }
  }

  @Test
  void a_checkpoint_from_a_step_that_is_not_a_batch_worker_fails_the_step_and_keeps_the_message() throws Exception {
    UUID taskId = submit("conditional_approval", "approval_routing", Map.of("amount", 2, "yield", true));
    TaskSnapshot task = tasker.awaitFinished(taskId, Duration.ofSeconds(20));

    assertThat(task.state()).isEqualTo(TaskState.ERROR);
    StepSnapshot validate = task.step("validate_request").orElseThrow();
    assertThat(validate.state()).isEqualTo(StepState.ERROR);
    assertThat(validate.lastError().path("error_type").asText()).isEqualTo("invalid_checkpoint");
    assertThat(validate.lastError().path("message").asText())
        .contains("yielded a checkpoint", "standard step", "only batch_worker steps may yield");
    // Nothing created: the task's steps are its two initial ones, and the decision never ran.
    assertThat(strings("SELECT name || ':' || state FROM tasker.workflow_steps WHERE task_id = ? ORDER BY name", taskId))
        .containsExactly("routing_decision:pending", "validate_request:error");
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.workflow_steps WHERE step_id = '" + validate.stepId()
        + "' AND checkpoint IS NULL")).isEqualTo(1);
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.step_execution_batch_received_results"
        + " WHERE step_id = '" + validate.stepId() + "' AND status = 'checkpoint'")).isEqualTo(1);
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.dead_letters WHERE step_id = '" + validate.stepId()
        + "' AND reason = 'permanent_failure'")).isEqualTo(1);
  }

  private static List<String> concat(List<String> names, String more) {
    List<String> all = new ArrayList<>(names);
    all.add(more);
    return all;
  }

  private static UUID submit(String namespace, String name, Map<String, ?> context) {
    return tasker.submit(TaskRequest.builder(namespace, name).context(context).build()).taskId();
  }

  private static List<String> strings(String sql, UUID taskId) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = tasker.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, taskId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
    }
    return values;
  }
}
