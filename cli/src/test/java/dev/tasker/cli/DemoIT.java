package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code tasker demo} for real (worker processes over TCP) against a fresh database and checks
 * what it leaves in the database: the acceptance checks of the core issue.
 */
class DemoIT {

  private static DatabaseSettings database;
  private static String output;
  private static int exitCode;

  @BeforeAll
  static void runTheDemo() {
    database = TestDatabases.freshDatabase();
    String url = database.jdbcUrl();
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exitCode = new CommandLine(new TaskerCli())
          .execute("demo", "--orders", "15", "--diamonds", "15", "--polyglot", "10", "--approvals", "3", "--csv", "1", "--ruby", "yes",
              "--workers", "2",
              "--database-url", url);
    } finally {
      System.setOut(original);
    }
    output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
  }

  private static long count(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void the_demo_exits_0_with_one_summary_line_showing_every_task_complete() {
    List<String> summaries = output.lines().filter(line -> line.startsWith("demo: ")).toList();

    assertThat(exitCode).isZero();
    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0)).matches("demo: tasks=44 complete=44 error=0 steps=190 elapsed_ms=\\d+");
  }

  @Test
  void every_step_is_complete_and_its_transitions_lead_there_without_gaps() throws SQLException {
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps")).isEqualTo(190);
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps WHERE state <> 'complete'")).isZero();
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps s WHERE NOT EXISTS (SELECT 1 FROM "
        + "tasker.current_workflow_step_transitions t WHERE t.step_id = s.step_id AND t.to_state = s.state)")).isZero();
    assertThat(count("SELECT count(*) FROM tasker.workflow_step_transitions t WHERE t.sort_key > 1 AND NOT EXISTS ("
        + "SELECT 1 FROM tasker.workflow_step_transitions p WHERE p.step_id = t.step_id AND p.sort_key = t.sort_key - 1"
        + " AND p.to_state = t.from_state)")).isZero();
    assertThat(count("SELECT count(*) FROM tasker.tasks t WHERE NOT EXISTS (SELECT 1 FROM "
        + "tasker.current_task_transitions c WHERE c.task_id = t.task_id AND c.to_state = t.state)")).isZero();
  }

  @Test
  void every_step_went_out_in_a_batch() throws SQLException {
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps s WHERE NOT EXISTS (SELECT 1 FROM "
        + "tasker.step_execution_batch_steps b WHERE b.step_id = s.step_id)")).isZero();
  }

  @Test
  void every_partial_result_and_batch_completion_is_in_the_ledger_with_its_raw_json() throws SQLException {
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batch_received_results "
        + "WHERE message_type = 'partial_result' AND raw_message->>'step_id' IS NOT NULL AND (raw_message->'output' IS NOT NULL OR raw_message->'error' IS NOT NULL"
        + " OR raw_message->'checkpoint' IS NOT NULL)"))
        .isEqualTo(count("SELECT count(*) FROM tasker.workflow_steps") + retriedAttempts());
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batch_received_results "
        + "WHERE message_type = 'batch_completion' AND raw_message->'step_summaries' IS NOT NULL"))
        .isEqualTo(count("SELECT count(*) FROM tasker.step_execution_batches"));
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE outcome = 'rejected'"))
        .isZero();
  }

  private static long retriedAttempts() throws SQLException {
    return count("SELECT coalesce(sum(attempts - 1), 0) FROM tasker.workflow_steps");
  }

  @Test
  void every_batch_ended_completed_and_consistent() throws SQLException {
    assertThat(count("SELECT count(*) FROM tasker.current_step_execution_batch_transitions WHERE to_state <> 'completed'"))
        .isZero();
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batches WHERE state <> 'completed'")).isZero();
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batches WHERE reconciliation_status <> 'consistent'"))
        .isZero();
    assertThat(count("SELECT count(*) FROM tasker.step_execution_batch_discrepancies")).isZero();
  }

  @Test
  void with_two_java_and_one_ruby_worker_process_each_step_has_exactly_one_completed_partial_result()
      throws SQLException {
    assertThat(count("SELECT count(DISTINCT worker_id) FROM tasker.step_execution_batches")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps s WHERE (SELECT count(*) FROM "
        + "tasker.step_execution_batch_received_results r WHERE r.step_id = s.step_id AND r.status = 'completed') <> 1"))
        .isZero();
  }

  private static long checkpointYields() throws SQLException {
    return count("SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE status = 'checkpoint'");
  }

  @Test
  void retried_payments_show_the_retry_in_their_transitions() throws SQLException {
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps WHERE name = 'process_payment' AND attempts = 2"))
        .isGreaterThan(0);
    // A checkpoint yield is an attempt too, but it goes back to pending, not waiting_for_retry.
    assertThat(count("SELECT count(*) FROM tasker.workflow_step_transitions WHERE to_state = 'waiting_for_retry'"))
        .isEqualTo(retriedAttempts() - checkpointYields());
  }

  @Test
  void each_approval_ran_exactly_the_approvals_its_amount_needs() throws SQLException {
    String approvalsOf = "SELECT count(*) FROM tasker.workflow_steps s JOIN tasker.tasks t USING (task_id)"
        + " WHERE (t.context->>'amount')::int = %d AND s.name IN ('auto_approve', 'manager_approval', 'finance_review')"
        + " AND s.name IN (%s)";
    assertThat(count(approvalsOf.formatted(500, "'auto_approve'"))).isEqualTo(1);
    assertThat(count(approvalsOf.formatted(3000, "'manager_approval'"))).isEqualTo(1);
    assertThat(count(approvalsOf.formatted(10000, "'manager_approval', 'finance_review'"))).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps WHERE name IN ('auto_approve', 'manager_approval',"
        + " 'finance_review')")).isEqualTo(4);
    assertThat(output).contains("approvals:    3/3 complete; steps created by the decision: 500 -> [\"auto_approve\"],"
        + " 3,000 -> [\"manager_approval\"], 10,000 -> [\"finance_review\",\"manager_approval\"]");
  }

  @Test
  void the_csv_analysis_covered_its_1000_rows_once_in_5_batch_workers_with_3_checkpoints_each() throws Exception {
    assertThat(count("SELECT count(*) FROM tasker.workflow_steps WHERE kind = 'batch_worker'")).isEqualTo(5);
    assertThat(checkpointYields()).isEqualTo(15);
    assertThat(count("SELECT sum((results->>'rows')::int) FROM tasker.workflow_steps WHERE kind = 'batch_worker'"))
        .isEqualTo(1000);
    java.nio.file.Path csv = java.nio.file.Path.of(string("SELECT context->>'csv_path' FROM tasker.tasks WHERE context->>'csv_path' IS NOT NULL"));
    long value = 0;
    for (String line : java.nio.file.Files.readAllLines(csv).subList(1, 1001)) {
      String[] fields = line.split(",");
      value += new java.math.BigDecimal(fields[3]).movePointRight(2).longValueExact() * Long.parseLong(fields[4]);
    }
    assertThat(count("SELECT (results->>'inventory_value_cents')::bigint FROM tasker.workflow_steps"
        + " WHERE name = 'aggregate_csv_results'")).isEqualTo(value);
    assertThat(output).containsPattern("csv: +1000 rows by 5 batch workers in 20 attempts");
  }

  private static String string(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void the_mixed_workflow_ran_its_ruby_steps_on_the_ruby_worker_and_its_java_steps_on_java_ones()
      throws SQLException {
    String byLanguage = "SELECT count(*) FROM tasker.workflow_steps s JOIN tasker.step_execution_batch_steps bs"
        + " USING (step_id) JOIN tasker.step_execution_batches b USING (batch_id) JOIN tasker.workers w"
        + " USING (worker_id) WHERE s.handler IN (%s) AND w.language = '%s'";
    String rubyHandlers = "'polyglot.calculate_tax', 'polyglot.score_fraud', 'polyglot.send_receipt'";
    String javaHandlers = "'polyglot.validate_cart', 'polyglot.authorize_payment'";
    assertThat(count(byLanguage.formatted(rubyHandlers, "ruby"))).isEqualTo(30);
    assertThat(count(byLanguage.formatted(javaHandlers, "java"))).isEqualTo(20);
    assertThat(output).contains("polyglot:     10/10 mixed Java+Ruby tasks complete");
  }
}
