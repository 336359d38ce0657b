package dev.tasker.orchestrator.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * The dispatcher's ready-step query ({@code select_ready_steps.sql}) against a backlog of a million
 * steps, run as the orchestrator runs it: through {@link StepClaimer#selectReady} on a connection
 * from a pool {@link ConnectionPools} opened, which prepares every statement on the server at its
 * first use and plans it once, generically, with table scans disabled where an index can serve. The
 * plan must walk {@code workflow_steps_ready_idx} in dispatch order: a sequential scan
 * or a sort would read every pending step of the backlog to hand out a few hundred.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ReadyStepPlanIT {

  private static final int TASKS = 200_000;
  private static final int STEPS = TASKS * 5;
  // The handful of rows (2 tasks, 10 steps, 2 of them ready) in the table when the early connection
  // prepares the query.
  private static final int FIRST_TASKS = 2;
  private static final Map<String, Integer> QUOTAS = quotas();
  private static final String READY_INDEX = "workflow_steps_ready_idx";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  // Five-step chains, step k run by handler_k. Half the tasks are running: their step current_step
  // (0-4) is ready (8 in 10), in progress (1 in 10) or waiting for a retry (1 in 10), the steps before
  // it are complete and the steps after it wait for their parent. The other half are complete. Of the
  // million steps, 8% are ready (16,000 per handler), 20% wait for a dependency, 70% are complete.
  // Priorities 0, 5 and 10 are copied from the task, as creation does. Ids ascend like UUIDv7s.
  private static final String FILL = """
      WITH shape AS (
             SELECT n, t, n % 5 AS k,
                    ('00000000-0000-7000-8000-' || lpad(to_hex(t), 12, '0'))::uuid AS task_id,
                    CASE WHEN t % 10 < 5 THEN t % 10 END AS current_step,
                    (t / 10) % 10 AS outlook,
                    CASE WHEN t % 7 = 0 THEN 10 WHEN t % 3 = 0 THEN 5 ELSE 0 END AS priority
               FROM generate_series(?::int * 5, ?::int * 5 - 1) AS n
              CROSS JOIN LATERAL (SELECT n / 5 AS t) AS task),
           new_tasks AS (
             INSERT INTO tasker.tasks (task_id, named_task_id, state, context, identity_hash, priority,
                                       total_steps, active_steps, done_steps)
             SELECT task_id, ?,
                    CASE WHEN current_step IS NULL THEN 'complete'
                         WHEN current_step = 0 AND outlook < 8 THEN 'pending'
                         ELSE 'in_progress' END,
                    jsonb_build_object('order_id', t), 'ready-step-plan-' || t, priority,
                    5, CASE WHEN current_step IS NULL THEN 0 ELSE 1 END, coalesce(current_step, 5)
               FROM shape
              WHERE k = 0)
      INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, state, priority,
                                         unmet_dependencies, attempts, max_attempts, backoff_base_ms,
                                         max_backoff_ms, next_attempt_at, timeout_ms, results,
                                         last_error, last_attempted_at, completed_at)
      SELECT ('00000000-0001-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, task_id,
             'step_' || k, 'handler_' || k, s.state, priority,
             CASE WHEN current_step < k THEN 1 ELSE 0 END,
             CASE WHEN s.state = 'pending' THEN 0 ELSE 1 END, 3, 1000, 60000,
             CASE WHEN s.state = 'waiting_for_retry' THEN now() + interval '1 minute' END, 30000,
             CASE WHEN s.state = 'complete' THEN jsonb_build_object('ok', true, 'step', k) END,
             CASE WHEN s.state = 'waiting_for_retry' THEN '{"error_type": "timeout"}'::jsonb END,
             CASE WHEN s.state <> 'pending' THEN now() END,
             CASE WHEN s.state = 'complete' THEN now() END
        FROM shape
       CROSS JOIN LATERAL (
             SELECT CASE WHEN current_step IS NULL OR k < current_step THEN 'complete'
                         WHEN k > current_step OR outlook < 8 THEN 'pending'
                         WHEN outlook = 8 THEN 'in_progress'
                         ELSE 'waiting_for_retry' END AS state) s
      """;

  private DatabaseSettings database;
  private HikariDataSource pool;
  // Prepared the query when the table held a handful of rows and kept it, as a pooled connection does.
  private Connection early;
  private JsonNode planOnAHandfulOfRows;
  private JsonNode earlyPlanBeforeAnalyze;

  @BeforeAll
  void a_backlog_of_a_million_steps() throws Exception {
    database = TestDatabases.freshDatabase();
    try (Connection fill = DriverManager.getConnection(database.jdbcUrl(), credentials())) {
      UUID namedTaskId = insertTemplate(fill);
      // Analyzed while it holds a handful of rows: with table scans allowed, up to about 60 steps plan
      // as a Seq Scan and a Sort, which the connection would keep until the next ANALYZE.
      insertTasks(fill, namedTaskId, 0, FIRST_TASKS);
      try (Statement statement = fill.createStatement()) {
        statement.execute("ANALYZE tasker.tasks, tasker.workflow_steps");
      }
      early = orchestratorConnection();
      StepClaimer.selectReady(early, QUOTAS);
      planOnAHandfulOfRows = explain(early, "FORMAT JSON");
      print("plan prepared on " + FIRST_TASKS * 5 + " steps", planOnAHandfulOfRows);

      long start = System.nanoTime();
      insertTasksConcurrently(namedTaskId, FIRST_TASKS, TASKS);
      System.out.printf("filled %,d steps in %,d ms%n", STEPS, (System.nanoTime() - start) / 1_000_000);
      earlyPlanBeforeAnalyze = explain(early, "FORMAT JSON");
      print("plan of the early connection at " + STEPS + " steps, before ANALYZE", earlyPlanBeforeAnalyze);
      start = System.nanoTime();
      try (Statement statement = fill.createStatement()) {
        statement.execute("ANALYZE tasker.tasks, tasker.workflow_steps");
      }
      System.out.printf("analyzed in %,d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
  }

  @AfterAll
  void closeTheEarlyConnection() throws SQLException {
    if (early != null) {
      early.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void the_ready_step_query_is_an_index_scan_at_a_million_steps() throws SQLException {
    try (Connection connection = orchestratorConnection()) {
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps")).isEqualTo(STEPS);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps"
          + " WHERE state = 'pending' AND unmet_dependencies = 0")).isEqualTo(STEPS * 8 / 100);
      StepClaimer.selectReady(connection, QUOTAS);

      JsonNode plan = explain(connection, "FORMAT JSON");

      print("plan prepared on " + STEPS + " steps", plan);
      assertReadsTheReadyIndexInDispatchOrder(plan);
    }
  }

  @Test
  void the_ready_step_query_returns_each_handler_its_quota_at_a_million_steps() throws SQLException {
    try (Connection connection = orchestratorConnection()) {
      Map<String, List<UUID>> ready = StepClaimer.selectReady(connection, QUOTAS);

      JsonNode analyzed = explain(connection, "ANALYZE, FORMAT JSON");

      print("executed on " + STEPS + " steps", analyzed);
      System.out.printf("execution time %.3f ms, planning time %.3f ms%n",
          analyzed.get(0).path("Execution Time").asDouble(), analyzed.get(0).path("Planning Time").asDouble());
      assertReadsTheReadyIndexInDispatchOrder(analyzed);
      assertThat(analyzed.get(0).get("Plan").get("Actual Rows").asInt()).isEqualTo(100 + 50);
      assertThat(analyzed.get(0).has("Execution Time")).as("EXPLAIN ANALYZE reports the execution time").isTrue();
      assertThat(ready).containsOnlyKeys(QUOTAS.keySet());
      assertThat(ready.get("handler_1")).hasSize(100).doesNotHaveDuplicates();
      assertThat(ready.get("handler_3")).hasSize(50).doesNotHaveDuplicates();
    }
  }

  @Test
  void a_generic_plan_made_on_a_handful_of_rows_is_an_index_scan() {
    assertReadsTheReadyIndexInDispatchOrder(planOnAHandfulOfRows);
  }

  // Inserting rows does not invalidate a cached plan (ANALYZE does): until the table is analyzed,
  // the early connection keeps the plan it made on a handful of rows, now for a million steps.
  @Test
  void a_plan_cached_on_a_handful_of_rows_is_still_an_index_scan_when_a_million_steps_arrive() {
    assertReadsTheReadyIndexInDispatchOrder(earlyPlanBeforeAnalyze);
  }

  @Test
  void a_statement_prepared_on_a_handful_of_rows_is_an_index_scan_at_a_million_analyzed_steps() throws SQLException {
    JsonNode plan = explain(early, "FORMAT JSON");

    print("plan of the early connection at " + STEPS + " steps, after ANALYZE", plan);
    assertReadsTheReadyIndexInDispatchOrder(plan);
  }

  /**
   * The metrics' step gauges (read at most every 5 s when scraped) count each state from its own
   * partial index, never the table: a million steps, of which 80,000 ready, cost one index read per
   * state.
   */
  @Test
  void the_step_count_gauges_read_only_the_partial_indexes_of_their_states_at_a_million_steps()
      throws SQLException, JsonProcessingException {
    try (Connection connection = orchestratorConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + Sql.load(TaskerMetrics.class, "step_counts.sql"))) {
      rs.next();
      JsonNode explained = MAPPER.readTree(rs.getString(1));
      List<JsonNode> nodes = new ArrayList<>();
      collect(explained.get(0).get("Plan"), nodes);

      print("step count gauges on " + STEPS + " steps", explained);
      assertThat(nodes).extracting(n -> n.get("Node Type").asText()).as(describe(explained)).doesNotContain("Seq Scan");
      assertThat(nodes).filteredOn(n -> n.has("Index Name")).extracting(n -> n.get("Index Name").asText())
          .as(describe(explained))
          .containsExactlyInAnyOrder(READY_INDEX, "workflow_steps_retry_idx", "workflow_steps_attempt_deadline_idx");
    }
  }

  private static void assertReadsTheReadyIndexInDispatchOrder(JsonNode explained) {
    List<JsonNode> nodes = new ArrayList<>();
    collect(explained.get(0).get("Plan"), nodes);
    String shown = describe(explained);
    assertThat(nodes).extracting(n -> n.get("Node Type").asText())
        .as("no node reads the whole table or sorts what it read:%n%s", shown)
        .doesNotContain("Seq Scan", "Sort", "Incremental Sort");
    assertThat(nodes).filteredOn(n -> "workflow_steps".equals(n.path("Relation Name").asText()))
        .as("workflow_steps is read through %s in index order:%n%s", READY_INDEX, shown)
        .isNotEmpty()
        .allSatisfy(scan -> {
          assertThat(scan.get("Node Type").asText()).isIn("Index Scan", "Index Only Scan");
          assertThat(scan.path("Index Name").asText()).isEqualTo(READY_INDEX);
        });
  }

  /**
   * The plan the connection's cached statement (prepared by the driver on the server, named {@code
   * S_<n>}) uses for the dispatcher's parameters. {@code EXPLAIN EXECUTE} goes through the same plan
   * cache as the driver's executions, so under {@code force_generic_plan} it shows the generic plan.
   */
  private static JsonNode explain(Connection connection, String options) throws SQLException {
    String name = preparedStatementName(connection);
    String handlers = "{" + String.join(",", QUOTAS.keySet()) + "}";
    String quotas = QUOTAS.values().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            String.format("EXPLAIN (%s) EXECUTE \"%s\"('%s', '%s')", options, name, handlers, quotas))) {
      rs.next();
      return MAPPER.readTree(rs.getString(1));
    } catch (JsonProcessingException e) {
      throw new AssertionError("EXPLAIN did not return JSON", e);
    }
  }

  private static String preparedStatementName(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements"
            + " WHERE NOT from_sql AND strpos(statement, ?) > 0")) {
      statement.setString(1, "FROM tasker.workflow_steps s");
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          assertThat(rs.getLong("generic_plans")).as("generic plans of the ready-step query").isPositive();
          assertThat(rs.getLong("custom_plans")).as("custom plans of the ready-step query").isZero();
          names.add(rs.getString("name"));
        }
      }
    }
    assertThat(names).as("the ready-step query prepared on the server").hasSize(1);
    return names.get(0);
  }

  private static UUID insertTemplate(Connection connection) throws SQLException {
    UUID namespaceId = UUID.randomUUID();
    UUID namedTaskId = UUID.randomUUID();
    try (PreparedStatement namespace = connection.prepareStatement(
            "INSERT INTO tasker.namespaces (namespace_id, name) VALUES (?, 'plans')");
        PreparedStatement namedTask = connection.prepareStatement(
            "INSERT INTO tasker.named_tasks (named_task_id, namespace_id, name, version, definition)"
                + " VALUES (?, ?, 'five_step_chain', '1.0.0', '{}')")) {
      namespace.setObject(1, namespaceId);
      namespace.executeUpdate();
      namedTask.setObject(1, namedTaskId);
      namedTask.setObject(2, namespaceId);
      namedTask.executeUpdate();
    }
    return namedTaskId;
  }

  private static void insertTasks(Connection connection, UUID namedTaskId, int from, int to) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FILL)) {
      statement.setInt(1, from);
      statement.setInt(2, to);
      statement.setObject(3, namedTaskId);
      statement.executeUpdate();
    }
  }

  // The fill is CPU-bound (a foreign-key check per row): two connections filling half each take
  // about a quarter less time than one on a two-core machine.
  private void insertTasksConcurrently(UUID namedTaskId, int from, int to) throws Exception {
    int middle = (from + to) / 2;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Void>> halves = List.of(
          () -> insertTasksOnItsOwnConnection(namedTaskId, from, middle),
          () -> insertTasksOnItsOwnConnection(namedTaskId, middle, to));
      for (Future<Void> half : pool.invokeAll(halves)) {
        half.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private Void insertTasksOnItsOwnConnection(UUID namedTaskId, int from, int to) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), credentials())) {
      insertTasks(connection, namedTaskId, from, to);
    }
    return null;
  }

  /** A connection from a pool as the orchestrator opens it, with its session settings. */
  private Connection orchestratorConnection() throws SQLException {
    if (pool == null) {
      pool = ConnectionPools.open(database, 4, "ready-step-plan-it");
    }
    return pool.getConnection();
  }

  private Properties credentials() {
    Properties properties = new Properties();
    if (database.username() != null) {
      properties.setProperty("user", database.username());
    }
    if (database.password() != null) {
      properties.setProperty("password", database.password());
    }
    return properties;
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, Integer> quotas() {
    Map<String, Integer> quotas = new LinkedHashMap<>();
    quotas.put("handler_1", 100);
    quotas.put("handler_3", 50);
    return quotas;
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    into.add(node);
    node.path("Plans").forEach(child -> collect(child, into));
  }

  private static void print(String title, JsonNode explained) {
    System.out.printf("%s:%n%s", title, describe(explained));
  }

  private static String describe(JsonNode explained) {
    StringBuilder text = new StringBuilder();
    describe(explained.get(0).get("Plan"), 1, text);
    return text.toString();
  }

  private static void describe(JsonNode node, int depth, StringBuilder text) {
    text.append("  ".repeat(depth)).append(node.get("Node Type").asText());
    if (node.has("Index Name")) {
      text.append(" using ").append(node.get("Index Name").asText());
    }
    if (node.has("Relation Name")) {
      text.append(" on ").append(node.get("Relation Name").asText());
    }
    text.append(String.format(" (cost=%s..%s rows=%s)", node.path("Startup Cost").asText(),
        node.path("Total Cost").asText(), node.path("Plan Rows").asText()));
    if (node.has("Actual Rows")) {
      text.append(String.format(" (actual rows=%s loops=%s)", node.get("Actual Rows").asText(),
          node.get("Actual Loops").asText()));
    }
    if (node.has("Index Cond")) {
      text.append(" [").append(node.get("Index Cond").asText()).append(']');
    }
    text.append('\n');
    node.path("Plans").forEach(child -> describe(child, depth + 1, text));
  }
}
