package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.examples.csvinventory.InventoryCsv;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The approval routing and CSV inventory examples end to end, from the directory of upstream-format
 * example templates, once with Java handlers (a {@code tasker worker} process) and once with Ruby
 * handlers (a Ruby worker process), each against its own orchestrator and database; and a Java
 * batch worker process killed with SIGKILL after its second checkpoint, whose step resumes on
 * another worker from that checkpoint. Every check reads the database. Needs Ruby with ffi-rzmq and
 * concurrent-ruby; {@code ./tasker test} installs them.
 */
class DynamicExamplesIT {

  private static final Path TEMPLATES =
      Path.of("..", "worker-examples", "src", "main", "resources", "templates").toAbsolutePath().normalize();
  private static final Path RUBY_WORKER = Path.of("..", "ruby-worker").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "dynamic-examples").toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CSV_ROWS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A worker process and its log. */
  private record WorkerProcess(String workerId, Process process, Path log) {

    static WorkerProcess java(String endpoint, String workerId) throws IOException {
      return start(workerId, List.of(ProcessHandle.current().info().command().orElse("java"), "-Xss512k",
          "-cp", System.getProperty("java.class.path"), TaskerCli.class.getName(), "worker",
          "--endpoint", endpoint, "--handlers", "examples", "--concurrency", "8", "--worker-id", workerId,
          "--drain-timeout-seconds", "5"));
    }

    static WorkerProcess ruby(String endpoint, String workerId) throws IOException {
      return start(workerId, List.of("ruby", RUBY_WORKER.resolve("bin/tasker-worker").toString(),
          "--endpoint", endpoint, "--concurrency", "8", "--worker-id", workerId, "--drain-timeout", "5",
          "--require", RUBY_WORKER.resolve("examples/approval_routing.rb").toString(),
          "--require", RUBY_WORKER.resolve("examples/csv_inventory.rb").toString()));
    }

    private static WorkerProcess start(String workerId, List<String> command) throws IOException {
      Files.createDirectories(WORK);
      Path log = WORK.resolve(workerId + ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      return new WorkerProcess(workerId, process, log);
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    String logText() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  /** One orchestrator on a fresh database, loading the examples' template directory. */
  private static TestOrchestrator startOrchestrator() {
    return TestOrchestrator.start(TemplateRegistry.fromDirectory(TEMPLATES, null), OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8).build());
  }

  private static void awaitRegistered(TestOrchestrator tasker, List<WorkerProcess> workers) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (tasker.orchestrator().registeredWorkers() < workers.size()) {
      for (WorkerProcess worker : workers) {
        if (!worker.process().isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("worker " + worker.workerId() + " did not register (a Ruby worker needs ruby with"
              + " ruby-ffi-rzmq and ruby-concurrent: ./tasker test installs them); its log:\n" + worker.logText());
        }
      }
      Thread.sleep(20);
    }
  }

  private static List<String> strings(TestOrchestrator tasker, String sql, Object... parameters) throws SQLException {
    try (Connection connection = tasker.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      return values;
    }
  }

  private static List<JsonNode> json(TestOrchestrator tasker, String sql, Object... parameters) throws Exception {
    List<JsonNode> values = new ArrayList<>();
    for (String value : strings(tasker, sql, parameters)) {
      values.add(JSON.readTree(value));
    }
    return values;
  }

  /** The inventory figures of a CSV file, computed here rather than by the example's code. */
  private static Map<String, Object> totalsOf(Path csv) throws IOException {
    long rows = 0;
    long units = 0;
    long value = 0;
    Map<String, Long> categories = new TreeMap<>();
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8).subList(1, CSV_ROWS + 1)) {
      String[] fields = line.split(",");
      long stock = Long.parseLong(fields[4]);
      rows++;
      units += stock;
      value += new BigDecimal(fields[3]).movePointRight(2).longValueExact() * stock;
      categories.merge(fields[2], 1L, Long::sum);
    }
    return Map.of("rows", rows, "units", units, "inventory_value_cents", value, "categories", categories);
  }

  private static Map<String, Object> figures(JsonNode output) {
    Map<String, Object> figures = new java.util.HashMap<>();
    for (String field : List.of("rows", "units", "inventory_value_cents")) {
      figures.put(field, output.path(field).asLong());
    }
    Map<String, Long> categories = new TreeMap<>();
    output.path("categories").fields().forEachRemaining(entry -> categories.put(entry.getKey(), entry.getValue().asLong()));
    figures.put("categories", categories);
    return figures;
  }

  private static TaskRequest csvTask(Path csv, long rowDelayMs) {
    return TaskRequest.builder("csv_processing", "csv_inventory_analysis")
        .context(Map.of("csv_path", csv.toString(), "row_delay_ms", rowDelayMs)).build();
  }

  /** The checks, run against one language's worker process. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract class ExamplesInOneLanguage {

    TestOrchestrator tasker;
    WorkerProcess worker;

    abstract String language();

    abstract WorkerProcess startWorker(String endpoint) throws IOException;

    @BeforeAll
    void start() throws Exception {
      tasker = startOrchestrator();
      worker = startWorker(tasker.endpoint());
      awaitRegistered(tasker, List.of(worker));
    }

    @AfterAll
    void stop() throws InterruptedException {
      if (worker != null) {
        worker.stop();
      }
      if (tasker != null) {
        tasker.close();
      }
    }

    private List<String> languagesThatRan(UUID taskId) throws SQLException {
      return strings(tasker, """
          SELECT DISTINCT w.language FROM tasker.workflow_steps s
            JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id
            JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
            JOIN tasker.workers w ON w.worker_id = b.worker_id
           WHERE s.task_id = ?
          """, taskId);
    }

    @ParameterizedTest(name = "amount {0}")
    @CsvSource({"500, auto_approve", "3000, manager_approval", "10000, finance_review manager_approval"})
    void an_approval_creates_and_runs_exactly_the_steps_its_amount_needs(int amount, String chosen) throws Exception {
      UUID taskId = tasker.submit(TaskRequest.builder("conditional_approval", "approval_routing")
          .context(Map.of("amount", amount, "requester", language())).build()).taskId();
      TaskSnapshot task = tasker.awaitFinished(taskId, WAIT);

      List<String> approvals = List.of(chosen.split(" "));
      TreeSet<String> expected = new TreeSet<>(approvals);
      expected.addAll(List.of("validate_request", "routing_decision", "finalize_approval"));
      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(strings(tasker, "SELECT name FROM tasker.workflow_steps WHERE task_id = ? ORDER BY name", taskId))
          .containsExactlyElementsOf(expected);
      assertThat(strings(tasker, "SELECT DISTINCT state FROM tasker.workflow_steps WHERE task_id = ?", taskId))
          .containsExactly("complete");
      // Each step ran once: one completed result in the ledger, applied.
      assertThat(strings(tasker, """
          SELECT s.name FROM tasker.workflow_steps s
            JOIN tasker.step_execution_batch_received_results r ON r.step_id = s.step_id
           WHERE s.task_id = ? AND r.status = 'completed' AND r.outcome = 'applied' ORDER BY s.name
          """, taskId)).containsExactlyElementsOf(expected);
      assertThat(strings(tasker, """
          SELECT p.name FROM tasker.step_edges e
            JOIN tasker.workflow_steps p ON p.step_id = e.from_step_id
            JOIN tasker.workflow_steps c ON c.step_id = e.to_step_id
           WHERE c.task_id = ? AND c.name = 'finalize_approval' ORDER BY p.name
          """, taskId)).containsExactlyElementsOf(new TreeSet<>(approvals));
      JsonNode finalized = json(tasker, "SELECT results::text FROM tasker.workflow_steps WHERE task_id = ?"
          + " AND name = 'finalize_approval'", taskId).get(0);
      assertThat(JSON.convertValue(finalized.path("approvals"), List.class))
          .containsExactlyElementsOf(new TreeSet<>(approvals));
      assertThat(languagesThatRan(taskId)).containsExactly(language());
    }

    @Test
    void a_csv_of_1000_rows_goes_to_5_batch_workers_that_process_every_row_once() throws Exception {
      Path csv = WORK.resolve(language()).resolve("inventory.csv");
      InventoryCsv.write(csv, CSV_ROWS, 20261201L);
      UUID taskId = tasker.submit(csvTask(csv, 0)).taskId();
      TaskSnapshot task = tasker.awaitFinished(taskId, WAIT);

      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(strings(tasker, "SELECT name FROM tasker.workflow_steps WHERE task_id = ? AND kind = 'batch_worker'"
          + " ORDER BY name", taskId)).containsExactly("process_csv_batch_001", "process_csv_batch_002",
          "process_csv_batch_003", "process_csv_batch_004", "process_csv_batch_005");
      // The cursors cover rows 0 to 1000 end to end, and each worker counted its 200 rows.
      assertThat(strings(tasker, "SELECT (inputs->'cursor'->>'start_cursor') || '-' || (inputs->'cursor'->>'end_cursor')"
          + " || ':' || (results->>'rows') FROM tasker.workflow_steps WHERE task_id = ? AND kind = 'batch_worker'"
          + " ORDER BY name", taskId)).containsExactly("0-200:200", "200-400:200", "400-600:200", "600-800:200",
          "800-1000:200");
      JsonNode aggregate = json(tasker, "SELECT results::text FROM tasker.workflow_steps WHERE task_id = ?"
          + " AND name = 'aggregate_csv_results'", taskId).get(0);
      assertThat(figures(aggregate)).isEqualTo(totalsOf(csv));
      assertThat(aggregate.path("batch_workers").asInt()).isEqualTo(5);
      // Three checkpoints per worker (after 50, 100 and 150 of its rows), each in the ledger once.
      assertThat(strings(tasker, """
          SELECT s.name || '@' || (r.raw_message->'checkpoint'->>'items_processed')
            FROM tasker.step_execution_batch_received_results r
            JOIN tasker.workflow_steps s ON s.step_id = r.step_id
           WHERE s.task_id = ? AND r.status = 'checkpoint' AND r.outcome = 'applied'
          """, taskId)).hasSize(15).doesNotHaveDuplicates()
          .allMatch(checkpoint -> checkpoint.matches("process_csv_batch_00[1-5]@(50|100|150)"));
      assertThat(languagesThatRan(taskId)).containsExactly(language());
    }
  }

  @Nested
  class WithJavaHandlers extends ExamplesInOneLanguage {

    @Override
    String language() {
      return "java";
    }

    @Override
    WorkerProcess startWorker(String endpoint) throws IOException {
      return WorkerProcess.java(endpoint, "dynamic-examples-java");
    }
  }

  @Nested
  class WithRubyHandlers extends ExamplesInOneLanguage {

    @Override
    String language() {
      return "ruby";
    }

    @Override
    WorkerProcess startWorker(String endpoint) throws IOException {
      return WorkerProcess.ruby(endpoint, "dynamic-examples-ruby");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class KillingABatchWorker {

    /** 20 ms a row: 1 s between checkpoints, a window the kill cannot miss. */
    private static final long ROW_DELAY_MS = 20;

    private TestOrchestrator tasker;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
      tasker = startOrchestrator();
      workers.add(WorkerProcess.java(tasker.endpoint(), "dynamic-examples-kill-1"));
      workers.add(WorkerProcess.java(tasker.endpoint(), "dynamic-examples-kill-2"));
      awaitRegistered(tasker, workers);
    }

    @AfterAll
    void stop() throws InterruptedException {
      for (WorkerProcess worker : workers) {
        worker.stop();
      }
      if (tasker != null) {
        tasker.close();
      }
    }

    @Test
    void a_batch_worker_killed_after_its_second_checkpoint_resumes_from_it_on_another_worker() throws Exception {
      Path csv = WORK.resolve("kill").resolve("inventory.csv");
      InventoryCsv.write(csv, CSV_ROWS, 20261202L);
      UUID taskId = tasker.submit(csvTask(csv, ROW_DELAY_MS)).taskId();

      // Wait until a batch worker has yielded twice and its third attempt is running on a worker.
      String running = """
          SELECT s.name || ' ' || b.worker_id || ' ' || bs.attempt || ' ' || (s.inputs->'cursor'->>'start_cursor')
            FROM tasker.workflow_steps s
            JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
            JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
           WHERE s.task_id = ? AND s.kind = 'batch_worker' AND s.state = 'in_progress'
             AND (SELECT count(*) FROM tasker.step_execution_batch_received_results r
                   WHERE r.step_id = s.step_id AND r.status = 'checkpoint') = 2
           ORDER BY s.name LIMIT 1
          """;
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> found = strings(tasker, running, taskId);
      while (found.isEmpty()) {
        assertThat(System.nanoTime()).as("a batch worker running after its second checkpoint").isLessThan(deadline);
        Thread.sleep(10);
        found = strings(tasker, running, taskId);
      }
      String[] victim = found.get(0).split(" ");
      String step = victim[0];
      String killedWorker = victim[1];
      int killedAttempt = Integer.parseInt(victim[2]);
      long start = Long.parseLong(victim[3]);
      WorkerProcess killed = workers.stream().filter(w -> w.workerId().equals(killedWorker)).findFirst().orElseThrow();
      killed.process().destroyForcibly();
      assertThat(killed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();

      TaskSnapshot task = tasker.awaitFinished(taskId, WAIT);

      assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
      assertThat(strings(tasker, "SELECT state FROM tasker.workers WHERE worker_id = ?", killedWorker))
          .containsExactly("dead");
      // The killed attempt went back to pending as the worker was declared lost.
      assertThat(strings(tasker, """
          SELECT t.from_state || '->' || t.to_state FROM tasker.workflow_step_transitions t
            JOIN tasker.workflow_steps s ON s.step_id = t.step_id
           WHERE s.task_id = ? AND s.name = ? AND t.metadata->>'reason' = 'worker_lost'
          """, taskId, step)).containsExactly("in_progress->pending");
      // The ledger holds each checkpoint once: 50 and 100 before the kill; then the killed attempt
      // reported nothing, and the next attempt, on the other worker, started at row 100 of the
      // range (the 101st) and checkpointed at 150 with 150 rows accumulated, not 200.
      List<JsonNode> checkpoints = json(tasker, """
          SELECT jsonb_build_object('attempt', r.attempt, 'worker', r.worker_id, 'checkpoint', r.raw_message->'checkpoint')::text
            FROM tasker.step_execution_batch_received_results r
            JOIN tasker.workflow_steps s ON s.step_id = r.step_id
           WHERE s.task_id = ? AND s.name = ? AND r.status = 'checkpoint' AND r.outcome = 'applied'
           ORDER BY r.result_id
          """, taskId, step);
      assertThat(checkpoints).extracting(c -> c.path("checkpoint").path("cursor").asLong())
          .containsExactly(start + 50, start + 100, start + 150);
      assertThat(checkpoints).extracting(c -> c.path("checkpoint").path("accumulated_results").path("rows").asLong())
          .containsExactly(50L, 100L, 150L);
      JsonNode resumed = checkpoints.get(2);
      assertThat(resumed.path("attempt").asInt()).isGreaterThan(killedAttempt);
      assertThat(resumed.path("worker").asText()).isNotEqualTo(killedWorker);
      assertThat(strings(tasker, """
          SELECT r.worker_id FROM tasker.step_execution_batch_received_results r
            JOIN tasker.workflow_steps s ON s.step_id = r.step_id
           WHERE s.task_id = ? AND s.name = ? AND r.status = 'completed'
          """, taskId, step)).hasSize(1).doesNotContain(killedWorker);
      // The totals are still exact.
      JsonNode aggregate = json(tasker, "SELECT results::text FROM tasker.workflow_steps WHERE task_id = ?"
          + " AND name = 'aggregate_csv_results'", taskId).get(0);
      assertThat(figures(aggregate)).isEqualTo(totalsOf(csv));
      assertThat(aggregate.path("batch_workers").asInt()).isEqualTo(5);
    }
  }
}
