package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.results.Decisions.Discrepancy;
import dev.tasker.orchestrator.internal.results.Decisions.LedgerRow;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.BatchRow;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.StepRow;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads the snapshot results are decided against, and writes the decisions, set-based. */
final class ResultStore {

  private ResultStore() {}

  static ResultSnapshot load(Connection connection, List<ResultReceived> results) throws SQLException {
    Set<UUID> batchIds = new LinkedHashSet<>();
    Set<UUID> completedBatches = new LinkedHashSet<>();
    for (ResultReceived result : results) {
      if (result.message() instanceof PartialResult partial) {
        batchIds.add(partial.batchId());
      } else {
        BatchCompletion completion = (BatchCompletion) result.message();
        batchIds.add(completion.batchId());
        completedBatches.add(completion.batchId());
      }
    }
    Map<UUID, StepRow> steps = new HashMap<>();
    Map<UUID, BatchRow> batches = new HashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(ResultStore.class, "load_batches_and_steps.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, batchIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          UUID batchId = rs.getObject(1, UUID.class);
          BatchRow batch = batches.get(batchId);
          if (batch == null) {
            batch = new BatchRow(batchId, rs.getString(2), rs.getInt(3), BatchState.fromDbName(rs.getString(4)),
                new HashMap<>());
            batches.put(batchId, batch);
          }
          UUID stepId = rs.getObject(5, UUID.class);
          batch.attemptByStep().put(stepId, rs.getInt(6));
          steps.put(stepId, new StepRow(stepId, rs.getObject(7, UUID.class), StepState.fromDbName(rs.getString(8)),
              rs.getInt(9), rs.getInt(10), rs.getBoolean(11), rs.getLong(12), rs.getLong(13)));
        }
      }
    }
    return new ResultSnapshot(steps, batches, reported(connection, completedBatches));
  }

  private static Map<UUID, Map<UUID, StepStatus>> reported(Connection connection, Set<UUID> batchIds)
      throws SQLException {
    Map<UUID, Map<UUID, StepStatus>> reported = new HashMap<>();
    if (batchIds.isEmpty()) {
      return reported;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(ResultStore.class, "load_received_outcomes.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, batchIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          reported.computeIfAbsent(rs.getObject(1, UUID.class), b -> new HashMap<>())
              .put(rs.getObject(2, UUID.class), StepStatus.fromWireName(rs.getString(3)));
        }
      }
    }
    return reported;
  }

  /**
   * Writes every decision.
   *
   * @return whether a step became ready (a child's last dependency completed)
   */
  static boolean write(Connection connection, Decisions decisions) throws SQLException {
    insertLedger(connection, decisions.ledger);
    updateSteps(connection, "complete_steps.sql", decisions.completed.keySet(),
        decisions.completed.values().stream().map(Object::toString).toList());
    if (!decisions.retries.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(Sql.load(ResultStore.class, "schedule_retries.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, decisions.retries.keySet()));
        statement.setArray(2, SqlArrays.timestamps(connection,
            decisions.retries.values().stream().map(Decisions.Retry::due).toList()));
        statement.setArray(3, SqlArrays.texts(connection,
            decisions.retries.values().stream().map(Decisions.Retry::errorJson).toList()));
        statement.executeUpdate();
      }
    }
    updateSteps(connection, "fail_steps.sql", decisions.failed.keySet(),
        decisions.failed.values().stream().map(DeadLetters.Entry::errorJson).toList());
    DeadLetters.record(connection, decisions.failed.values());
    TransitionWriter.steps(connection, decisions.stepTransitions);
    boolean childReady = StepGraph.releaseChildren(connection, decisions.completed.keySet());
    writeBatches(connection, decisions);
    TaskFinalizer.finalize(connection, decisions.tasksToCheck);
    return childReady;
  }

  private static void updateSteps(Connection connection, String sqlFile, Set<UUID> ids, List<String> values)
      throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(ResultStore.class, sqlFile))) {
      statement.setArray(1, SqlArrays.uuids(connection, ids));
      statement.setArray(2, SqlArrays.texts(connection, values));
      statement.executeUpdate();
    }
  }

  private static void writeBatches(Connection connection, Decisions decisions) throws SQLException {
    List<TransitionWriter.Change> executing = new ArrayList<>();
    for (UUID batchId : decisions.batchesExecuting) {
      executing.add(new TransitionWriter.Change(batchId, BatchState.EXECUTING.dbName(), null, "first_result"));
    }
    TransitionWriter.batches(connection, executing);
    List<TransitionWriter.Change> completed = new ArrayList<>();
    for (Map.Entry<UUID, String> entry : decisions.batchesCompleted.entrySet()) {
      String metadata = "{\"reconciliation\":\"" + entry.getValue() + "\"}";
      completed.add(new TransitionWriter.Change(entry.getKey(), BatchState.COMPLETED.dbName(), metadata, "batch_completion"));
    }
    TransitionWriter.batches(connection, completed);
    if (!decisions.batchesCompleted.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(Sql.load(ResultStore.class, "complete_batches.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, decisions.batchesCompleted.keySet()));
        statement.setArray(2, SqlArrays.texts(connection, new ArrayList<>(decisions.batchesCompleted.values())));
        statement.executeUpdate();
      }
    }
    if (!decisions.discrepancies.isEmpty()) {
      try (PreparedStatement statement =
          connection.prepareStatement(Sql.load(ResultStore.class, "insert_discrepancies.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, decisions.discrepancies.stream().map(Discrepancy::batchId).toList()));
        statement.setArray(2, connection.createArrayOf("uuid",
            decisions.discrepancies.stream().map(Discrepancy::stepId).toArray()));
        statement.setArray(3, SqlArrays.texts(connection, decisions.discrepancies.stream().map(Discrepancy::kind).toList()));
        statement.setArray(4, SqlArrays.texts(connection, decisions.discrepancies.stream().map(Discrepancy::detailJson).toList()));
        statement.executeUpdate();
      }
    }
  }

  private static void insertLedger(Connection connection, List<LedgerRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    List<UUID> batches = new ArrayList<>();
    List<UUID> steps = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    List<Integer> attempts = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    List<String> raws = new ArrayList<>();
    List<String> outcomes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<Instant> received = new ArrayList<>();
    for (LedgerRow row : rows) {
      batches.add(row.batchId());
      steps.add(row.stepId());
      types.add(row.messageType());
      workers.add(row.workerId());
      sequences.add(row.sequence());
      attempts.add(row.attempt());
      statuses.add(row.status());
      times.add(row.executionTimeMs());
      raws.add(row.rawJson());
      outcomes.add(row.outcome());
      errors.add(row.processingErrorsJson());
      received.add(row.receivedAt());
    }
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(ResultStore.class, "insert_ledger.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, batches));
      statement.setArray(2, connection.createArrayOf("uuid", steps.toArray()));
      statement.setArray(3, SqlArrays.texts(connection, types));
      statement.setArray(4, SqlArrays.texts(connection, workers));
      statement.setArray(5, SqlArrays.longs(connection, sequences));
      statement.setArray(6, SqlArrays.ints(connection, attempts));
      statement.setArray(7, SqlArrays.texts(connection, statuses));
      statement.setArray(8, SqlArrays.longs(connection, times));
      statement.setArray(9, SqlArrays.texts(connection, raws));
      statement.setArray(10, SqlArrays.texts(connection, outcomes));
      statement.setArray(11, SqlArrays.texts(connection, errors));
      statement.setArray(12, SqlArrays.timestamps(connection, received));
      statement.executeUpdate();
    }
  }
}
