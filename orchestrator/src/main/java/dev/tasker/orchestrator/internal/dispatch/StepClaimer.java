package dev.tasker.orchestrator.internal.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.dispatch.BatchPlanner.PlannedBatch;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepMetadata;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One dispatch round in one transaction: lock ready steps, plan batches, start a new attempt of
 * each planned step, and record the batches, their steps and every transition, all with one
 * statement per kind of row.
 */
final class StepClaimer {

  /** A batch recorded and ready to send. */
  record ClaimedBatch(PlannedBatch plan, StepBatchRequest request) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StepClaimer() {}

  static List<ClaimedBatch> claim(
      Connection connection,
      Map<String, Integer> quotas,
      List<WorkerSession> workers,
      int batchSize,
      long batchTimeoutMs,
      String orchestratorId) throws SQLException {
    Map<String, List<UUID>> ready = selectReady(connection, quotas);
    if (ready.isEmpty()) {
      return List.of();
    }
    List<PlannedBatch> plans = BatchPlanner.plan(ready, workers, batchSize, Ids::newId);
    List<UUID> planned = new ArrayList<>();
    plans.forEach(p -> planned.addAll(p.stepIds()));
    Map<UUID, StepExecutionRequest> requests = claimSteps(connection, planned);
    List<ClaimedBatch> claimed = new ArrayList<>();
    for (PlannedBatch plan : plans) {
      List<StepExecutionRequest> steps = new ArrayList<>();
      for (UUID stepId : plan.stepIds()) {
        StepExecutionRequest request = requests.get(stepId);
        if (request != null) {
          steps.add(request);
        }
      }
      if (!steps.isEmpty()) {
        List<UUID> ids = steps.stream().map(StepExecutionRequest::stepId).toList();
        PlannedBatch kept = new PlannedBatch(plan.batchId(), plan.worker(), plan.handler(), ids);
        claimed.add(new ClaimedBatch(kept, new StepBatchRequest(plan.batchId(), ProtocolVersion.CURRENT, steps)));
      }
    }
    recordBatches(connection, claimed, batchTimeoutMs, orchestratorId);
    recordStepTransitions(connection, claimed);
    startTasks(connection, requests);
    return claimed;
  }

  private static Map<String, List<UUID>> selectReady(Connection connection, Map<String, Integer> quotas)
      throws SQLException {
    Map<String, List<UUID>> ready = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(StepClaimer.class, "select_ready_steps.sql"))) {
      statement.setArray(1, SqlArrays.texts(connection, new ArrayList<>(quotas.keySet())));
      statement.setArray(2, SqlArrays.ints(connection, new ArrayList<>(quotas.values())));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ready.computeIfAbsent(rs.getString(2), h -> new ArrayList<>()).add(rs.getObject(1, UUID.class));
        }
      }
    }
    return ready;
  }

  private static Map<UUID, StepExecutionRequest> claimSteps(Connection connection, List<UUID> stepIds)
      throws SQLException {
    Map<UUID, StepExecutionRequest> requests = new HashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(StepClaimer.class, "claim_steps.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, stepIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          UUID stepId = rs.getObject(1, UUID.class);
          requests.put(
              stepId,
              new StepExecutionRequest(
                  stepId,
                  rs.getObject(2, UUID.class),
                  rs.getString(3),
                  rs.getString(4),
                  json(rs.getString(5)),
                  json(rs.getString(9)),
                  previousResults(rs.getString(10)),
                  new StepMetadata(rs.getInt(6), Math.max(rs.getInt(6), rs.getInt(7)), rs.getLong(8))));
        }
      }
    }
    return requests;
  }

  private static void recordBatches(
      Connection connection, List<ClaimedBatch> batches, long timeoutMs, String orchestratorId)
      throws SQLException {
    List<UUID> batchIds = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    List<String> handlers = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    List<Long> timeouts = new ArrayList<>();
    List<UUID> memberBatch = new ArrayList<>();
    List<UUID> memberStep = new ArrayList<>();
    List<Integer> memberOrder = new ArrayList<>();
    List<String> memberHandler = new ArrayList<>();
    List<Integer> memberAttempt = new ArrayList<>();
    for (ClaimedBatch batch : batches) {
      UUID batchId = batch.plan().batchId();
      batchIds.add(batchId);
      workers.add(batch.plan().worker().workerId());
      handlers.add(batch.plan().handler());
      counts.add(batch.request().steps().size());
      // The completion is due once the slowest step's own timeout has passed, plus the grace.
      long longestStep = batch.request().steps().stream().mapToLong(s -> s.metadata().timeoutMs()).max().orElse(0);
      timeouts.add(longestStep + timeoutMs);
      int order = 1;
      for (StepExecutionRequest step : batch.request().steps()) {
        memberBatch.add(batchId);
        memberStep.add(step.stepId());
        memberOrder.add(order++);
        memberHandler.add(step.handler());
        memberAttempt.add(step.metadata().attempt());
      }
    }
    BatchState.CREATED.requireTransitionTo(BatchState.PUBLISHED);
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(StepClaimer.class, "record_batches.sql"))) {
      statement.setString(1, orchestratorId);
      statement.setArray(2, SqlArrays.uuids(connection, batchIds));
      statement.setArray(3, SqlArrays.texts(connection, workers));
      statement.setArray(4, SqlArrays.texts(connection, handlers));
      statement.setArray(5, SqlArrays.ints(connection, counts));
      statement.setArray(6, SqlArrays.longs(connection, timeouts));
      statement.setArray(7, SqlArrays.uuids(connection, memberBatch));
      statement.setArray(8, SqlArrays.uuids(connection, memberStep));
      statement.setArray(9, SqlArrays.ints(connection, memberOrder));
      statement.setArray(10, SqlArrays.texts(connection, memberHandler));
      statement.setArray(11, SqlArrays.ints(connection, memberAttempt));
      statement.executeUpdate();
    }
  }

  private static void recordStepTransitions(Connection connection, List<ClaimedBatch> batches)
      throws SQLException {
    StepState.PENDING.requireTransitionTo(StepState.IN_PROGRESS);
    List<TransitionWriter.Change> changes = new ArrayList<>();
    for (ClaimedBatch batch : batches) {
      String metadata = "{\"batch_id\":\"" + batch.plan().batchId() + "\",\"worker_id\":"
          + MAPPER.valueToTree(batch.plan().worker().workerId()) + "}";
      for (StepExecutionRequest step : batch.request().steps()) {
        changes.add(new TransitionWriter.Change(step.stepId(), StepState.IN_PROGRESS.dbName(), metadata, null));
      }
    }
    TransitionWriter.steps(connection, changes);
  }

  private static void startTasks(Connection connection, Map<UUID, StepExecutionRequest> requests)
      throws SQLException {
    Set<UUID> taskIds = new HashSet<>();
    requests.values().forEach(r -> taskIds.add(r.taskId()));
    List<TransitionWriter.Change> changes = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(StepClaimer.class, "start_tasks.sql"))) {
      statement.setArray(1, SqlArrays.uuids(connection, taskIds));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          TaskState.PENDING.requireTransitionTo(TaskState.IN_PROGRESS);
          changes.add(TransitionWriter.Change.to(rs.getObject(1, UUID.class), TaskState.IN_PROGRESS.dbName()));
        }
      }
    }
    TransitionWriter.tasks(connection, changes);
  }

  private static Map<String, JsonNode> previousResults(String json) {
    Map<String, JsonNode> results = new LinkedHashMap<>();
    JsonNode tree = json(json);
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    fields.forEachRemaining(e -> results.put(e.getKey(), e.getValue()));
    return results;
  }

  private static JsonNode json(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node == null ? MAPPER.createObjectNode() : node;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
    }
  }
}
