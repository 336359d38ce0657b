package dev.tasker.orchestrator.internal.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.internal.db.KeyedJson;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.dispatch.BatchPlanner.PlannedBatch;
import dev.tasker.orchestrator.internal.state.BatchState;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Claims planned steps and records their batches in one statement ({@code claim_steps.sql}): the
 * steps' new attempts, the batches with their members and transitions, the steps' and tasks'
 * transitions. Returns the batches as they will be sent.
 */
final class StepClaimer {

  /** A batch recorded and ready to send: its plan, narrowed to the steps claimed, and its request. */
  record ClaimedBatch(PlannedBatch plan, StepBatchRequest request) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StepClaimer() {}

  /** Locks ready steps, per handler up to its quota, in dispatch order (priority, then age). */
  static Map<String, List<UUID>> selectReady(Connection connection, Map<String, Integer> quotas) throws SQLException {
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

  /**
   * @param graceMs added to a batch's slowest step timeout for its deadline
   * @param orchestratorId recorded with each batch
   */
  static List<ClaimedBatch> claim(Connection connection, List<PlannedBatch> plans, long graceMs, String orchestratorId)
      throws SQLException {
    if (plans.isEmpty()) {
      return List.of();
    }
    StepState.PENDING.requireTransitionTo(StepState.IN_PROGRESS);
    TaskState.PENDING.requireTransitionTo(TaskState.IN_PROGRESS);
    BatchState.CREATED.requireTransitionTo(BatchState.PUBLISHED);
    Map<UUID, String> placeByStep = new LinkedHashMap<>();
    List<UUID> batches = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    List<String> handlers = new ArrayList<>();
    Map<UUID, PlannedBatch> planById = new HashMap<>();
    for (PlannedBatch plan : plans) {
      planById.put(plan.batchId(), plan);
      batches.add(plan.batchId());
      workers.add(plan.worker().workerId());
      handlers.add(plan.handler());
      int position = 1;
      for (UUID stepId : plan.stepIds()) {
        placeByStep.put(stepId, "[\"" + plan.batchId() + "\"," + position++ + "]");
      }
    }
    Map<UUID, List<StepExecutionRequest>> claimed = new LinkedHashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(StepClaimer.class, "claim_steps.sql"))) {
      int p = 1;
      statement.setObject(p++, KeyedJson.ofJson(placeByStep));
      statement.setArray(p++, SqlArrays.uuids(connection, placeByStep.keySet()));
      statement.setArray(p++, SqlArrays.uuids(connection, batches));
      statement.setArray(p++, SqlArrays.texts(connection, workers));
      statement.setArray(p++, SqlArrays.texts(connection, handlers));
      statement.setLong(p++, graceMs);
      statement.setString(p++, orchestratorId);
      statement.setLong(p, graceMs);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          int attempt = rs.getInt(7);
          claimed.computeIfAbsent(rs.getObject(1, UUID.class), b -> new ArrayList<>()).add(
              new StepExecutionRequest(
                  rs.getObject(2, UUID.class),
                  rs.getObject(3, UUID.class),
                  rs.getString(4),
                  rs.getString(5),
                  json(rs.getString(6)),
                  json(rs.getString(10)),
                  previousResults(rs.getString(11)),
                  new StepMetadata(attempt, Math.max(attempt, rs.getInt(8)), rs.getLong(9)),
                  rs.getString(12) == null ? null : json(rs.getString(12)),
                  rs.getString(13) == null ? null : json(rs.getString(13))));
        }
      }
    }
    List<ClaimedBatch> result = new ArrayList<>(claimed.size());
    claimed.forEach((batchId, requests) -> {
      PlannedBatch plan = planById.get(batchId);
      List<UUID> ids = requests.stream().map(StepExecutionRequest::stepId).toList();
      result.add(new ClaimedBatch(new PlannedBatch(batchId, plan.worker(), plan.handler(), ids),
          new StepBatchRequest(batchId, ProtocolVersion.CURRENT, requests)));
    });
    return result;
  }

  private static Map<String, JsonNode> previousResults(String json) {
    Map<String, JsonNode> results = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = json(json).fields();
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
