package dev.tasker.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasker.schema.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskerSchemaIT {

  @Test
  void a_fresh_database_holds_every_table_the_design_names() throws SQLException {
    DatabaseSettings db = TestDatabases.freshDatabase();

    assertThat(tables(db))
        .contains(
            "namespaces",
            "named_tasks",
            "tasks",
            "workflow_steps",
            "step_edges",
            "task_transitions",
            "workflow_step_transitions",
            "step_execution_batches",
            "step_execution_batch_steps",
            "step_execution_batch_received_results",
            "step_execution_batch_transitions",
            "step_execution_batch_discrepancies",
            "workers");
  }

  @Test
  void migrating_twice_applies_nothing_the_second_time() {
    DatabaseSettings db = TestDatabases.freshDatabase();

    assertThat(TaskerSchema.migrate(db)).isZero();
  }

  @Test
  void a_step_cannot_have_two_transitions_with_the_same_sort_key() throws SQLException {
    DatabaseSettings db = TestDatabases.freshDatabase();
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO tasker.namespaces (namespace_id, name) VALUES ('0192f3a4-0000-7000-8000-000000000001', 'ns');
          INSERT INTO tasker.named_tasks (named_task_id, namespace_id, name, version, definition)
            VALUES ('0192f3a4-0000-7000-8000-000000000002', '0192f3a4-0000-7000-8000-000000000001', 't', '1', '{}');
          INSERT INTO tasker.tasks (task_id, named_task_id, state, context, identity_hash)
            VALUES ('0192f3a4-0000-7000-8000-000000000003', '0192f3a4-0000-7000-8000-000000000002', 'pending', '{}', 'h');
          INSERT INTO tasker.workflow_steps (step_id, task_id, name, handler, state, max_attempts, backoff_base_ms, max_backoff_ms, timeout_ms)
            VALUES ('0192f3a4-0000-7000-8000-000000000004', '0192f3a4-0000-7000-8000-000000000003', 's', 'h', 'pending', 1, 0, 0, 1000);
          INSERT INTO tasker.workflow_step_transitions (step_id, to_state, sort_key)
            VALUES ('0192f3a4-0000-7000-8000-000000000004', 'pending', 1);
          """);

      assertThatThrownBy(
              () ->
                  s.execute(
                      """
                      INSERT INTO tasker.workflow_step_transitions (step_id, from_state, to_state, sort_key)
                        VALUES ('0192f3a4-0000-7000-8000-000000000004', 'pending', 'in_progress', 1)
                      """))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("workflow_step_transitions_pkey");
    }
  }

  private static List<String> tables(DatabaseSettings db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tasker'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static Connection connect(DatabaseSettings db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
  }
}
