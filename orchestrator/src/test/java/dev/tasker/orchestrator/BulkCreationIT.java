package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.schema.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskerClient#initializeTasks}: many tasks in one transaction, set-based, with the same
 * guarantees as creating them one at a time (idempotent, validated, all or nothing).
 */
class BulkCreationIT {

  private static final String DIAMOND = """
      name: diamond
      namespace_name: bulk
      version: 1.0.0
      input_schema:
        type: object
        required: [n]
        properties:
          n: {type: integer, minimum: 0}
      steps:
        - name: a
          handler: {callable: bulk.a}
        - name: b
          dependencies: [a]
          handler: {callable: bulk.b}
        - name: c
          dependencies: [a]
          handler: {callable: bulk.c}
        - name: d
          dependencies: [b, c]
          handler: {callable: bulk.d}
      """;
  private static final String SINGLE = """
      name: single
      namespace_name: bulk
      version: 1.0.0
      steps:
        - name: only
          handler: {callable: bulk.only}
      """;

  private HikariDataSource pool;
  private TaskerClient client;

  @BeforeEach
  void createClient() {
    pool = ConnectionPools.open(TestDatabases.freshDatabase(), 4, "bulk-creation-it");
    TemplateRegistry templates = TemplateRegistry.of(List.of(
        TemplateRegistry.parse(DIAMOND, "diamond", null), TemplateRegistry.parse(SINGLE, "single", null)));
    client = new TaskerClient(pool, templates);
  }

  @AfterEach
  void closePool() {
    pool.close();
  }

  @Test
  void aListLongerThanOneStatementCreatesEveryTaskWithItsStepsEdgesTransitionsAndCounters() throws SQLException {
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      requests.add(i % 2 == 0 ? aDiamond(i) : aSingle(i));
    }

    List<CreatedTask> created = client.initializeTasks(requests);

    assertThat(created).hasSize(2_500).allMatch(CreatedTask::created);
    assertThat(created.stream().map(CreatedTask::taskId).distinct()).hasSize(2_500);
    assertThat(created.get(0).stepCount()).isEqualTo(4);
    assertThat(created.get(0).template()).contains("diamond");
    assertThat(created.get(1).stepCount()).isEqualTo(1);
    assertThat(created.get(1).template()).contains("single");
    try (Connection connection = pool.getConnection()) {
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks WHERE state = 'pending'")).isEqualTo(2_500);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps")).isEqualTo(1_250L * 4 + 1_250);
      assertThat(count(connection, "SELECT count(*) FROM tasker.step_edges")).isEqualTo(1_250L * 4);
      assertThat(count(connection, "SELECT count(*) FROM tasker.task_transitions")).isEqualTo(2_500);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_step_transitions"))
          .isEqualTo(1_250L * 4 + 1_250);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps"
          + " WHERE state = 'pending' AND unmet_dependencies = 0")).as("ready steps: each task's roots")
          .isEqualTo(2_500);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps WHERE name = 'd'"
          + " AND unmet_dependencies = 2")).isEqualTo(1_250);
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks"
          + " WHERE active_steps = 1 AND done_steps = 0 AND total_steps IN (1, 4)")).isEqualTo(2_500);
    }
    // The context of the third request (a diamond with n = 2) is stored with its task.
    assertThat(client.task(created.get(2).taskId()).orElseThrow().context().get("n").asInt()).isEqualTo(2);
  }

  @Test
  void aRequestRepeatedInTheListOrAlreadyStoredGetsTheSameTask() throws SQLException {
    List<CreatedTask> first = client.initializeTasks(List.of(aDiamond(1), aSingle(1), aDiamond(1)));

    assertThat(first).extracting(CreatedTask::created).containsExactly(true, true, false);
    assertThat(first.get(2).taskId()).isEqualTo(first.get(0).taskId());

    List<CreatedTask> second = client.initializeTasks(List.of(aSingle(1), aSingle(2)));

    assertThat(second).extracting(CreatedTask::created).containsExactly(false, true);
    assertThat(second.get(0).taskId()).isEqualTo(first.get(1).taskId());
    assertThat(client.initializeTask(aDiamond(1)).taskId()).isEqualTo(first.get(0).taskId());
    try (Connection connection = pool.getConnection()) {
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks")).isEqualTo(3);
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps")).isEqualTo(4 + 1 + 1);
    }
  }

  @Test
  void anInvalidContextAnywhereInTheListStoresNothingAndNamesItsPosition() throws SQLException {
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(aDiamond(i));
    }
    requests.set(7, TaskRequest.builder("bulk", "diamond").context(Map.of("n", "seven")).build());

    assertThatThrownBy(() -> client.initializeTasks(requests))
        .isInstanceOf(InvalidTaskContextException.class)
        .hasMessageContaining("request 7 of the list")
        .hasMessageContaining("n");
    assertNothingStored();
  }

  @Test
  void anUnknownTemplateAnywhereInTheListStoresNothing() throws SQLException {
    List<TaskRequest> requests = List.of(aSingle(1), TaskRequest.builder("bulk", "no_such_template").build());

    assertThatThrownBy(() -> client.initializeTasks(requests))
        .isInstanceOf(UnknownTemplateException.class)
        .hasMessageContaining("no_such_template");
    assertNothingStored();
  }

  @Test
  void anEmptyListCreatesNothing() throws SQLException {
    assertThat(client.initializeTasks(List.of())).isEmpty();
    assertNothingStored();
  }

  private void assertNothingStored() throws SQLException {
    try (Connection connection = pool.getConnection()) {
      assertThat(count(connection, "SELECT count(*) FROM tasker.tasks")).isZero();
      assertThat(count(connection, "SELECT count(*) FROM tasker.workflow_steps")).isZero();
      assertThat(count(connection, "SELECT count(*) FROM tasker.task_transitions")).isZero();
    }
  }

  private static TaskRequest aDiamond(int n) {
    return TaskRequest.builder("bulk", "diamond").context(Map.of("n", n)).build();
  }

  private static TaskRequest aSingle(int n) {
    return TaskRequest.builder("bulk", "single").context(Map.of("n", n)).build();
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
