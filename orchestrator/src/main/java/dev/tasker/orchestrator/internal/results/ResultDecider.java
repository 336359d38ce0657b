package dev.tasker.orchestrator.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.internal.results.Decisions.Discrepancy;
import dev.tasker.orchestrator.internal.results.Decisions.LedgerRow;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.BatchRow;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.StepRow;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides what a sequence of results changes, in arrival order, against a snapshot of the steps
 * and batches they name. A result changes a step at most once: only a terminal result for the
 * attempt in progress, from the worker the batch went to, is applied; anything else is kept in the
 * ledger with the reason it was rejected. A batch completion is reconciled against the partial
 * results: every difference is recorded, and a step whose partial result never arrived is applied
 * from the completion's summary. Pure; one instance per set of results.
 */
final class ResultDecider {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Plans the steps a completed decision or batchable step creates, in the transaction that
   * applies its result.
   */
  interface StepCreator {
    /** Creates nothing: for tests and for results that cannot carry a plan. */
    StepCreator NONE = (step, output) -> "this orchestrator cannot create steps at run time";

    /**
     * Checks the plan in a decision or batchable step's output and, when it is valid, keeps the
     * steps to create, written before the result is.
     *
     * @return {@code null} when valid, else what is wrong, for the step's error
     */
    String plan(StepRow step, JsonNode output);
  }

  private final Backoff backoff;
  private final StepCreator creator;
  private final ResultSnapshot snapshot;
  private final Decisions decisions = new Decisions();
  private final Map<UUID, StepState> stepStates = new HashMap<>();
  private final Map<UUID, BatchState> batchStates = new HashMap<>();
  private final Map<UUID, Map<UUID, StepStatus>> reported = new HashMap<>();

  ResultDecider(Backoff backoff, ResultSnapshot snapshot) {
    this(backoff, StepCreator.NONE, snapshot);
  }

  ResultDecider(Backoff backoff, StepCreator creator, ResultSnapshot snapshot) {
    this.backoff = backoff;
    this.creator = creator;
    this.snapshot = snapshot;
    snapshot.steps().forEach((id, row) -> stepStates.put(id, row.state()));
    snapshot.batches().forEach((id, row) -> batchStates.put(id, row.state()));
    snapshot.reported().forEach((batch, byStep) -> reported.put(batch, new HashMap<>(byStep)));
  }

  Decisions decide(List<ResultReceived> results) {
    for (ResultReceived result : results) {
      if (result.message() instanceof PartialResult partial) {
        decidePartial(partial, result);
      } else {
        decideCompletion((BatchCompletion) result.message(), result);
      }
    }
    return decisions;
  }

  private void decidePartial(PartialResult partial, ResultReceived received) {
    String rejection = validateMembership(partial.batchId(), partial.stepId(), partial.attempt(), partial.workerId());
    if (rejection == null && partial.status().isTerminal()) {
      // What the worker said counts for reconciliation even if the step has moved on meanwhile.
      reported.computeIfAbsent(partial.batchId(), b -> new HashMap<>()).put(partial.stepId(), partial.status());
      rejection = validateState(partial.stepId(), partial.attempt());
    }
    String outcome;
    if (rejection != null) {
      outcome = "rejected";
    } else {
      markExecuting(partial.batchId());
      if (partial.status().isTerminal()) {
        apply(snapshot.steps().get(partial.stepId()), partial.status(), partial.output(), partial.error(),
            partial.checkpoint(), partial.batchId(), "partial_result");
        outcome = "applied";
      } else {
        outcome = "recorded";
      }
    }
    decisions.ledger.add(
        new LedgerRow(
            partial.batchId(), partial.stepId(), "partial_result", partial.workerId(), partial.sequence(),
            partial.attempt(), partial.status().wireName(), partial.executionTimeMs(), received.rawJson(),
            outcome, rejection == null ? null : reasonJson(rejection), received.receivedAt()));
  }

  /** @return why a result does not belong to its batch, or {@code null} when it does */
  private String validateMembership(UUID batchId, UUID stepId, int attempt, String workerId) {
    BatchRow batch = snapshot.batches().get(batchId);
    if (batch == null) {
      return "unknown batch " + batchId;
    }
    Integer sentAttempt = batch.attemptByStep().get(stepId);
    if (sentAttempt == null) {
      return "step " + stepId + " was not sent in batch " + batchId;
    }
    if (workerId != null && !workerId.equals(batch.workerId())) {
      return "batch " + batchId + " was sent to worker " + batch.workerId() + ", not " + workerId;
    }
    if (attempt != sentAttempt) {
      return "attempt " + attempt + " is not the attempt sent in batch " + batchId + " (" + sentAttempt + ")";
    }
    return null;
  }

  /** @return why a terminal result can no longer change its step, or {@code null} when it can */
  private String validateState(UUID stepId, int attempt) {
    StepRow step = snapshot.steps().get(stepId);
    if (step == null) {
      return "the step is not known";
    }
    if (step.attempts() != attempt) {
      return "superseded: attempt " + attempt + " was replaced by attempt " + step.attempts();
    }
    StepState current = stepStates.get(stepId);
    if (current == StepState.IN_PROGRESS && !step.locked()) {
      return "the step changed while this result was applied; its state is read again with the next result";
    }
    if (current != StepState.IN_PROGRESS) {
      return "the step is already " + current.dbName() + " (duplicate or late result)";
    }
    return null;
  }

  private void apply(StepRow step, StepStatus status, JsonNode output, StepError error, JsonNode checkpoint,
      UUID batchId, String source) {
    String metadata = "{\"batch_id\":\"" + batchId + "\",\"source\":\"" + source + "\"}";
    if (status == StepStatus.COMPLETED && (step.kind() == StepType.DECISION || step.kind() == StepType.BATCHABLE)) {
      String invalid = creator.plan(step, output == null ? JsonNodeFactory.instance.nullNode() : output);
      if (invalid != null) {
        status = StepStatus.FAILED;
        error = new StepError(invalid, step.kind() == StepType.DECISION ? "invalid_decision" : "invalid_batch_plan",
            List.of(), false, null);
      }
    }
    if (status == StepStatus.CHECKPOINT && step.kind() != StepType.BATCH_WORKER) {
      status = StepStatus.FAILED;
      error = new StepError("the step yielded a checkpoint, but it is a " + step.kind().wireName()
          + " step: only batch_worker steps may yield", "invalid_checkpoint", List.of(), false, null);
    }
    StepState target;
    if (status == StepStatus.CHECKPOINT) {
      // Out again from where it stopped: pending and ready, its checkpoint stored with it.
      target = StepState.PENDING;
      decisions.checkpoints.put(step.stepId(), checkpoint);
      metadata = "{\"batch_id\":\"" + batchId + "\",\"source\":\"" + source + "\",\"event\":\"checkpoint_yield\"}";
    } else if (status == StepStatus.COMPLETED) {
      target = StepState.COMPLETE;
      decisions.completed.put(step.stepId(), output == null ? JsonNodeFactory.instance.nullNode() : output);
    } else if (error.retryable() && step.retryable() && step.attempts() < step.maxAttempts()) {
      target = StepState.WAITING_FOR_RETRY;
      long delay = backoff.delayMillis(step.backoff(), step.attempts(), step.backoffBaseMs(), step.maxBackoffMs(),
          error.retryAfterMs());
      decisions.retries.put(step.stepId(), new Decisions.Retry(delay, errorJson(error, step.attempts())));
    } else {
      target = StepState.ERROR;
      DeadLetters.Reason reason =
          !error.retryable() || !step.retryable()
              ? DeadLetters.Reason.PERMANENT_FAILURE
              : DeadLetters.Reason.ATTEMPTS_EXHAUSTED;
      decisions.failed.put(step.stepId(), new DeadLetters.Entry(step.stepId(), reason, errorJson(error, step.attempts())));
    }
    StepState.IN_PROGRESS.requireTransitionTo(target);
    stepStates.put(step.stepId(), target);
    decisions.stepTransitions.add(new TransitionWriter.Change(step.stepId(), target.dbName(), metadata, null));
  }

  private void decideCompletion(BatchCompletion completion, ResultReceived received) {
    UUID batchId = completion.batchId();
    BatchRow batch = snapshot.batches().get(batchId);
    String rejection = null;
    if (batch == null) {
      rejection = "unknown batch " + batchId;
    } else if (received.senderWorkerId() != null && !received.senderWorkerId().equals(batch.workerId())) {
      rejection = "batch " + batchId + " was sent to worker " + batch.workerId() + ", not " + received.senderWorkerId();
    } else if (batchStates.get(batchId) == BatchState.COMPLETED) {
      rejection = "batch " + batchId + " is already completed (duplicate completion)";
    }
    boolean filledIn = false;
    if (rejection == null) {
      filledIn = reconcile(completion, batch);
    }
    decisions.ledger.add(
        new LedgerRow(
            batchId, null, "batch_completion", batch == null ? received.senderWorkerId() : batch.workerId(),
            null, null, null, null, received.rawJson(),
            rejection != null ? "rejected" : filledIn ? "applied" : "recorded",
            rejection == null ? null : reasonJson(rejection), received.receivedAt()));
  }

  /** @return whether a summary was applied in place of a missing partial result */
  private boolean reconcile(BatchCompletion completion, BatchRow batch) {
    UUID batchId = batch.batchId();
    Map<UUID, StepStatus> seen = reported.getOrDefault(batchId, Map.of());
    Set<UUID> summarized = new HashSet<>();
    boolean filledIn = false;
    int completed = 0;
    int failed = 0;
    int inProgress = 0;
    int before = decisions.discrepancies.size();
    for (StepSummary summary : completion.stepSummaries()) {
      switch (summary.status()) {
        case COMPLETED -> completed++;
        case FAILED -> failed++;
        case IN_PROGRESS -> inProgress++;
        case CHECKPOINT -> { }
      }
      UUID stepId = summary.stepId();
      if (!summarized.add(stepId)) {
        discrepancy(batchId, stepId, "duplicate_summary", "the completion lists the step twice");
      } else if (!batch.attemptByStep().containsKey(stepId)) {
        discrepancy(batchId, stepId, "unknown_step", "the completion lists a step that was not in the batch");
      } else if (stepStates.get(stepId) == StepState.CANCELLED) {
        continue;
      } else if (seen.containsKey(stepId)) {
        if (seen.get(stepId) != summary.status()) {
          discrepancy(batchId, stepId, "status_mismatch",
              "partial result said " + seen.get(stepId).wireName() + ", completion says " + summary.status().wireName());
        }
      } else if (!summary.status().isTerminal()) {
        discrepancy(batchId, stepId, "unfinished_step", "the completion reports the step still in progress");
      } else {
        String rejection = validateMembership(batchId, stepId, summary.attempt(), batch.workerId());
        if (rejection == null) {
          rejection = validateState(stepId, summary.attempt());
        }
        if (rejection == null) {
          apply(snapshot.steps().get(stepId), summary.status(), summary.output(), summary.error(),
              summary.checkpoint(), batchId, "batch_completion");
          filledIn = true;
        }
        discrepancy(batchId, stepId, "missing_partial",
            "no partial result arrived; " + (rejection == null ? "applied from the completion's summary" : rejection));
      }
    }
    for (UUID stepId : batch.attemptByStep().keySet()) {
      if (!summarized.contains(stepId)) {
        discrepancy(batchId, stepId, "missing_summary", "the completion does not list the step");
      }
    }
    if (completion.totalSteps() != batch.stepCount()
        || completion.completedSteps() != completed
        || completion.failedSteps() != failed
        || completion.inProgressSteps() != inProgress) {
      discrepancy(batchId, null, "count_mismatch",
          "completion counts total=" + completion.totalSteps() + " completed=" + completion.completedSteps()
              + " failed=" + completion.failedSteps() + " in_progress=" + completion.inProgressSteps()
              + "; batch has " + batch.stepCount() + " steps and the summaries say completed=" + completed
              + " failed=" + failed + " in_progress=" + inProgress);
    }
    markExecuting(batchId);
    BatchState current = batchStates.get(batchId);
    current.requireTransitionTo(BatchState.COMPLETED);
    batchStates.put(batchId, BatchState.COMPLETED);
    decisions.batchesCompleted.put(batchId, decisions.discrepancies.size() > before ? "discrepancy" : "consistent");
    return filledIn;
  }

  private void markExecuting(UUID batchId) {
    if (batchStates.get(batchId) == BatchState.PUBLISHED) {
      batchStates.put(batchId, BatchState.EXECUTING);
      decisions.batchesExecuting.add(batchId);
    }
  }

  private void discrepancy(UUID batchId, UUID stepId, String kind, String detail) {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("detail", detail);
    decisions.discrepancies.add(new Discrepancy(batchId, stepId, kind, node.toString()));
  }

  static String errorJson(StepError error, int attempt) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("message", error.message());
    node.put("error_type", error.errorType());
    node.put("retryable", error.retryable());
    node.put("attempt", attempt);
    if (error.retryAfterMs() != null) {
      node.put("retry_after_ms", error.retryAfterMs());
    }
    node.set("backtrace", MAPPER.valueToTree(error.backtrace()));
    return node.toString();
  }

  private static String reasonJson(String reason) {
    return JsonNodeFactory.instance.objectNode().put("reason", reason).toString();
  }
}
