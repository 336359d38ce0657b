package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.BackoffKind;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.internal.db.KeyedJson;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the snapshot results are decided against, and writes the decisions: one statement each
 * whatever the number of results, plus one to record task progress, and one per rare kind of row
 * (dead letters, discrepancies) when there are any.
 */
final class ResultStore {

  /** A step whose last dependency just completed, or that yielded: pending and ready to claim. */
  record ReadyStep(UUID stepId, UUID taskId, String handler) {}

  private ResultStore() {}

  static ResultSnapshot load(Connection connection, List<ResultReceived> results) throws SQLException {
    List<UUID> namedBatches = new ArrayList<>();
    List<UUID> namedSteps = new ArrayList<>();
    Set<UUID> completedBatches = new LinkedHashSet<>();
    for (ResultReceived result : results) {
      if (result.message() instanceof PartialResult partial) {
        namedBatches.add(partial.batchId());
        namedSteps.add(partial.stepId());
      } else {
        completedBatches.add(((BatchCompletion) result.message()).batchId());
      }
    }
    Map<UUID, StepRow> steps = new HashMap<>();
    Map<UUID, BatchRow> batches = new HashMap<>();
    Map<UUID, Map<UUID, Integer>> members = new HashMap<>();
    Map<UUID, Map<UUID, StepStatus>> reported = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(ResultStore.class, "load_results.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, namedBatches));
      statement.setArray(2, SqlArrays.uuids(connection, namedSteps));
      statement.setArray(3, SqlArrays.uuids(connection, completedBatches));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          UUID batchId = rs.getObject(2, UUID.class);
          UUID stepId = rs.getObject(3, UUID.class);
          switch (rs.getString(1)) {
            case "batch" -> batches.put(batchId, new BatchRow(batchId, rs.getString(5), rs.getInt(7),
                BatchState.fromDbName(rs.getString(6)), members.computeIfAbsent(batchId, b -> new HashMap<>())));
            case "member" -> members.computeIfAbsent(batchId, b -> new HashMap<>()).put(stepId, rs.getInt(7));
            case "step" -> steps.put(stepId, new StepRow(stepId, rs.getObject(4, UUID.class),
                StepState.fromDbName(rs.getString(5)), rs.getInt(7), rs.getInt(8), rs.getBoolean(9), rs.getLong(10),
                rs.getLong(11), rs.getBoolean(12), rs.getString(6), StepType.fromWireName(rs.getString(13)),
                BackoffKind.fromWireName(rs.getString(14))));
            case "reported" -> reported.computeIfAbsent(batchId, b -> new HashMap<>())
                .put(stepId, StepStatus.fromWireName(rs.getString(5)));
            default -> throw new IllegalStateException("load_results.sql returned an unknown row kind " + rs.getString(1));
          }
        }
      }
    }
    return new ResultSnapshot(steps, batches, reported);
  }

  /**
   * Writes every decision, with the tasks' progress and finish.
   *
   * @return the steps made ready
   */
  static List<ReadyStep> write(Connection connection, Decisions decisions) throws SQLException {
    List<ReadyStep> ready = apply(connection, decisions);
    DeadLetters.record(connection, decisions.failed.values());
    insertDiscrepancies(connection, decisions.discrepancies);
    return ready;
  }

  private static List<ReadyStep> apply(Connection connection, Decisions decisions) throws SQLException {
    LedgerColumns ledger = new LedgerColumns(decisions.ledger);
    Map<UUID, String> outputs = new LinkedHashMap<>();
    decisions.completed.forEach((stepId, output) -> outputs.put(stepId, output.toString()));
    Map<UUID, String> retries = new LinkedHashMap<>();
    decisions.retries.forEach((stepId, retry) ->
        retries.put(stepId, "{\"delay_ms\":" + retry.delayMs() + ",\"error\":" + retry.errorJson() + "}"));
    Map<UUID, String> errors = new LinkedHashMap<>();
    decisions.failed.forEach((stepId, entry) -> errors.put(stepId, entry.errorJson()));
    Map<UUID, String> checkpoints = new LinkedHashMap<>();
    decisions.checkpoints.forEach((stepId, checkpoint) -> checkpoints.put(stepId, checkpoint.toString()));
    List<TransitionWriter.Change> stepChanges = decisions.stepTransitions;
    BatchChanges batches = new BatchChanges(decisions);
    List<ReadyStep> ready = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(ResultStore.class, "apply_results.sql"))) {
      int p = ledger.bind(statement, connection, 1);
      statement.setObject(p++, KeyedJson.ofJson(outputs));
      statement.setArray(p++, SqlArrays.uuids(connection, outputs.keySet()));
      statement.setObject(p++, KeyedJson.ofJson(retries));
      statement.setArray(p++, SqlArrays.uuids(connection, retries.keySet()));
      statement.setObject(p++, KeyedJson.ofJson(errors));
      statement.setArray(p++, SqlArrays.uuids(connection, errors.keySet()));
      statement.setObject(p++, KeyedJson.ofJson(checkpoints));
      statement.setArray(p++, SqlArrays.uuids(connection, checkpoints.keySet()));
      statement.setArray(p++, SqlArrays.uuids(connection, stepChanges.stream().map(TransitionWriter.Change::id).toList()));
      statement.setArray(p++, SqlArrays.texts(connection, stepChanges.stream().map(TransitionWriter.Change::toState).toList()));
      statement.setArray(p++, SqlArrays.texts(connection, stepChanges.stream().map(TransitionWriter.Change::metadataJson).toList()));
      p = batches.bind(statement, connection, p);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ready.add(new ReadyStep(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)));
        }
      }
    }
    return ready;
  }

  /** The batches' transitions (executing, completed) and where each batch ends. */
  private static final class BatchChanges {
    private final List<UUID> ids = new ArrayList<>();
    private final List<String> states = new ArrayList<>();
    private final List<String> metadata = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final Map<UUID, String> ends = new LinkedHashMap<>();

    BatchChanges(Decisions decisions) {
      for (UUID batchId : decisions.batchesExecuting) {
        add(batchId, BatchState.EXECUTING, null, "first_result");
        ends.put(batchId, "{\"state\":\"" + BatchState.EXECUTING.dbName() + "\"}");
      }
      decisions.batchesCompleted.forEach((batchId, reconciliation) -> {
        add(batchId, BatchState.COMPLETED, "{\"reconciliation\":\"" + reconciliation + "\"}", "batch_completion");
        ends.put(batchId, "{\"state\":\"" + BatchState.COMPLETED.dbName() + "\",\"reconciliation\":\""
            + reconciliation + "\"}");
      });
    }

    private void add(UUID batchId, BatchState state, String metadataJson, String event) {
      ids.add(batchId);
      states.add(state.dbName());
      metadata.add(metadataJson);
      events.add(event);
    }

    int bind(PreparedStatement statement, Connection connection, int first) throws SQLException {
      int p = first;
      statement.setArray(p++, SqlArrays.uuids(connection, ids));
      statement.setArray(p++, SqlArrays.texts(connection, states));
      statement.setArray(p++, SqlArrays.texts(connection, metadata));
      statement.setArray(p++, SqlArrays.texts(connection, events));
      statement.setObject(p++, KeyedJson.ofJson(ends));
      statement.setArray(p++, SqlArrays.uuids(connection, ends.keySet()));
      return p;
    }
  }

  private static void insertDiscrepancies(Connection connection, List<Discrepancy> discrepancies) throws SQLException {
    if (discrepancies.isEmpty()) {
      return;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(ResultStore.class, "insert_discrepancies.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, discrepancies.stream().map(Discrepancy::batchId).toList()));
      statement.setArray(2, connection.createArrayOf("uuid", discrepancies.stream().map(Discrepancy::stepId).toArray()));
      statement.setArray(3, SqlArrays.texts(connection, discrepancies.stream().map(Discrepancy::kind).toList()));
      statement.setArray(4, SqlArrays.texts(connection, discrepancies.stream().map(Discrepancy::detailJson).toList()));
      statement.executeUpdate();
    }
  }

  /** The ledger rows as the statement's twelve array parameters. */
  private static final class LedgerColumns {
    private final List<UUID> batches = new ArrayList<>();
    private final List<UUID> steps = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<String> workers = new ArrayList<>();
    private final List<Long> sequences = new ArrayList<>();
    private final List<Integer> attempts = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<String> raws = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<Instant> received = new ArrayList<>();

    LedgerColumns(List<LedgerRow> rows) {
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
    }

    int bind(PreparedStatement statement, Connection connection, int first) throws SQLException {
      int p = first;
      statement.setArray(p++, SqlArrays.uuids(connection, batches));
      statement.setArray(p++, connection.createArrayOf("uuid", steps.toArray()));
      statement.setArray(p++, SqlArrays.texts(connection, types));
      statement.setArray(p++, SqlArrays.texts(connection, workers));
      statement.setArray(p++, SqlArrays.longs(connection, sequences));
      statement.setArray(p++, SqlArrays.ints(connection, attempts));
      statement.setArray(p++, SqlArrays.texts(connection, statuses));
      statement.setArray(p++, SqlArrays.longs(connection, times));
      statement.setArray(p++, SqlArrays.texts(connection, raws));
      statement.setArray(p++, SqlArrays.texts(connection, outcomes));
      statement.setArray(p++, SqlArrays.texts(connection, errors));
      statement.setArray(p++, SqlArrays.timestamps(connection, received));
      return p;
    }
  }
}
