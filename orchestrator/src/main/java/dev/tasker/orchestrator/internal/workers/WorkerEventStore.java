package dev.tasker.orchestrator.internal.workers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.internal.cluster.Liveness;
import dev.tasker.orchestrator.internal.db.KeyedJson;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.SqlArrays;
import dev.tasker.orchestrator.internal.deadlines.Batches;
import dev.tasker.orchestrator.internal.progress.TaskProgress;
import dev.tasker.orchestrator.internal.results.DeadLetters;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.transport.InboundEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Records workers coming and going, and gives the steps of a lost worker or an undeliverable batch
 * back to the dispatcher. A lost worker's attempt counts against max_attempts (a step that keeps
 * killing its worker must not be retried forever); an attempt that never reached a worker does
 * not.
 */
public final class WorkerEventStore {

  private record HeldStep(UUID batchId, UUID stepId, UUID taskId, int attempts, int maxAttempts) {}

  private WorkerEventStore() {}

  /**
   * Records a worker event (any inbound event but a result), in the caller's transaction.
   *
   * @param self this orchestrator: another live orchestrator's batches are never treated as lost
   *     here (it judges its own), and liveness is judged in SQL with its window
   * @return whether steps became ready
   */
  public static boolean apply(Connection connection, InboundEvent event, Liveness self) throws SQLException {
    if (event instanceof InboundEvent.WorkerRegistered registered) {
      upsert(connection, registered, self);
      return false;
    }
    if (event instanceof InboundEvent.WorkersSeen seen) {
      Map<String, String> credits = new HashMap<>();
      seen.creditByWorker().forEach((workerId, credit) -> credits.put(workerId, credit.toString()));
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "touch_workers.sql"))) {
        statement.setString(1, self.orchestratorId());
        statement.setObject(2, KeyedJson.ofJsonByName(credits));
        statement.setString(3, self.orchestratorId());
        statement.setLong(4, self.windowMs());
        statement.setArray(5, SqlArrays.texts(connection, List.copyOf(credits.keySet())));
        statement.executeUpdate();
      }
      return false;
    }
    if (event instanceof InboundEvent.WorkerRecovered recovered) {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "record_held_batches.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, recovered.heldBatches()));
        statement.setString(2, recovered.workerId());
        statement.executeUpdate();
      }
      List<HeldStep> notHeld = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "steps_not_held.sql"))) {
        statement.setString(1, recovered.workerId());
        statement.setString(2, self.orchestratorId());
        statement.setLong(3, self.windowMs());
        statement.setArray(4, SqlArrays.uuids(connection, recovered.heldBatches()));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            notHeld.add(new HeldStep(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), rs.getInt(4), rs.getInt(5)));
          }
        }
      }
      if (notHeld.isEmpty()) {
        return false;
      }
      failBatches(connection, notHeld.stream().map(HeldStep::batchId).distinct().toList(), "not_held_after_restart");
      return requeue(connection, notHeld, false, "not_held_after_restart");
    }
    if (event instanceof InboundEvent.WorkerDraining draining) {
      markState(connection, draining.workerId(), "draining", false, self);
      return false;
    }
    if (event instanceof InboundEvent.WorkerGone gone) {
      markState(connection, gone.workerId(), gone.dead() ? "dead" : "gone", true, self);
      if (!gone.dead()) {
        return false;
      }
      List<HeldStep> held = held(connection, "steps_held_by_worker.sql", gone.workerId(), self.orchestratorId(), self.windowMs());
      failBatches(connection, openBatches(connection, gone.workerId(), self), "worker_lost");
      return requeue(connection, held, false, "worker_lost");
    }
    InboundEvent.BatchUndeliverable undeliverable = (InboundEvent.BatchUndeliverable) event;
    List<HeldStep> held = held(connection, "steps_of_batch.sql", undeliverable.batchId());
    failBatches(connection, List.of(undeliverable.batchId()), "undeliverable");
    return requeue(connection, held, true, "undeliverable");
  }

  private static void upsert(Connection connection, InboundEvent.WorkerRegistered registered, Liveness self)
      throws SQLException {
    ObjectNode capabilities = JsonNodeFactory.instance.objectNode();
    registered.hello().handlers().forEach(capabilities.putArray("handlers")::add);
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "upsert_worker.sql"))) {
      statement.setString(1, registered.hello().workerId());
      statement.setString(2, registered.hello().language());
      statement.setString(3, registered.hello().sdkVersion());
      statement.setString(4, registered.protocolVersion());
      statement.setString(5, registered.encoding());
      statement.setString(6, capabilities.toString());
      statement.setInt(7, registered.hello().concurrency());
      statement.setString(8, self.orchestratorId());
      statement.setInt(9, registered.hello().concurrency());
      statement.setString(10, self.orchestratorId());
      statement.setLong(11, self.windowMs());
      statement.executeUpdate();
    }
  }

  /** @param disconnected whether the worker left this orchestrator (gone or dead), not just draining */
  private static void markState(Connection connection, String workerId, String state, boolean disconnected,
      Liveness self) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "mark_worker_gone.sql"))) {
      statement.setString(1, state);
      statement.setBoolean(2, disconnected);
      statement.setBoolean(3, disconnected);
      statement.setString(4, self.orchestratorId());
      statement.setString(5, workerId);
      statement.executeUpdate();
    }
  }

  /**
   * Takeover: requeues the steps that orchestrators no longer alive sent to workers no
   * orchestrator hears from any more, as if each such worker were declared dead, in the caller's
   * transaction. Their attempts count, as for any lost worker.
   *
   * @return whether steps became ready
   */
  public static boolean takeOver(Connection connection, Liveness self) throws SQLException {
    List<HeldStep> abandoned = held(connection, "abandoned_steps.sql", self.orchestratorId(), self.windowMs(), self.windowMs());
    if (abandoned.isEmpty()) {
      return false;
    }
    failBatches(connection, abandoned.stream().map(HeldStep::batchId).distinct().toList(), "taken_over");
    return requeue(connection, abandoned, false, "taken_over");
  }

  /** Runs a query of held steps with {@code parameters} in order. */
  private static List<HeldStep> held(Connection connection, String sqlFile, Object... parameters) throws SQLException {
    List<HeldStep> held = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, sqlFile))) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          held.add(new HeldStep(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
              rs.getObject(3, UUID.class), rs.getInt(4), rs.getInt(5)));
        }
      }
    }
    return held;
  }

  private static List<UUID> openBatches(Connection connection, String workerId, Liveness self) throws SQLException {
    List<UUID> batches = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(WorkerEventStore.class, "open_batches_of_worker.sql"))) {
      statement.setString(1, workerId);
      statement.setString(2, self.orchestratorId());
      statement.setLong(3, self.windowMs());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          batches.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return batches;
  }

  private static void failBatches(Connection connection, List<UUID> batchIds, String event) throws SQLException {
    List<TransitionWriter.Change> changes = new ArrayList<>();
    for (UUID batchId : batchIds) {
      changes.add(new TransitionWriter.Change(batchId, BatchState.FAILED.dbName(), null, event));
    }
    TransitionWriter.batches(connection, changes);
    Batches.close(connection, batchIds, false);
  }

  private static boolean requeue(Connection connection, List<HeldStep> held, boolean refund, String reason)
      throws SQLException {
    List<UUID> again = new ArrayList<>();
    List<Integer> refunds = new ArrayList<>();
    List<UUID> exhausted = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<DeadLetters.Entry> deadLetters = new ArrayList<>();
    TaskProgress.Changes progress = new TaskProgress.Changes();
    List<TransitionWriter.Change> transitions = new ArrayList<>();
    String metadata = "{\"reason\":\"" + reason + "\"}";
    // An attempt that never reached its worker is given back, so the step's next batch can carry
    // the same attempt number to the same worker: a step can then be listed once per batch.
    Set<UUID> seen = new HashSet<>();
    for (HeldStep step : held) {
      if (!seen.add(step.stepId())) {
        continue;
      }
      if (refund || step.attempts() < step.maxAttempts()) {
        StepState.IN_PROGRESS.requireTransitionTo(StepState.PENDING);
        again.add(step.stepId());
        refunds.add(refund ? 1 : 0);
        transitions.add(new TransitionWriter.Change(step.stepId(), StepState.PENDING.dbName(), metadata, null));
      } else {
        StepState.IN_PROGRESS.requireTransitionTo(StepState.ERROR);
        exhausted.add(step.stepId());
        String error = JsonNodeFactory.instance.objectNode()
            .put("message", "the worker running the step was lost and no attempts are left")
            .put("error_type", "worker_lost").put("retryable", false).put("attempt", step.attempts()).toString();
        errors.add(error);
        deadLetters.add(new DeadLetters.Entry(step.stepId(), DeadLetters.Reason.WORKER_LOST, error));
        transitions.add(new TransitionWriter.Change(step.stepId(), StepState.ERROR.dbName(), metadata, null));
        progress.add(step.taskId(), TaskProgress.STEP_FAILED);
      }
    }
    if (!again.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "requeue_steps.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, again));
        statement.setArray(2, SqlArrays.ints(connection, refunds));
        statement.executeUpdate();
      }
    }
    if (!exhausted.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(WorkerEventStore.class, "fail_steps.sql"))) {
        statement.setArray(1, SqlArrays.uuids(connection, exhausted));
        statement.setArray(2, SqlArrays.texts(connection, errors));
        statement.executeUpdate();
      }
    }
    DeadLetters.record(connection, deadLetters);
    TransitionWriter.steps(connection, transitions);
    TaskProgress.record(connection, progress);
    return !again.isEmpty();
  }
}
