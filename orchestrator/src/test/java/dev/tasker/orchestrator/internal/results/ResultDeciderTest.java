package dev.tasker.orchestrator.internal.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.orchestrator.BackoffKind;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.BatchRow;
import dev.tasker.orchestrator.internal.results.ResultSnapshot.StepRow;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.state.BatchState;
import dev.tasker.orchestrator.internal.transport.InboundEvent.ResultReceived;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
  private static final String WORKER = "worker-1";

  private final UUID taskId = Ids.newId();
  private final UUID batchId = Ids.newId();
  private final UUID stepA = Ids.newId();
  private final UUID stepB = Ids.newId();
  private final Map<UUID, StepRow> steps = new HashMap<>();
  private final Map<UUID, Map<UUID, StepStatus>> reported = new HashMap<>();
  private long sequence = 1;

  ResultDeciderTest() {
    steps.put(stepA, aStepInProgress(stepA, 1, 3));
    steps.put(stepB, aStepInProgress(stepB, 1, 3));
  }

  private StepRow aStepInProgress(UUID id, int attempts, int maxAttempts) {
    return new StepRow(id, taskId, StepState.IN_PROGRESS, attempts, maxAttempts, true, 1000, 30_000, true, "test_handler", StepType.STANDARD, BackoffKind.EXPONENTIAL);
  }

  private Decisions decide(Message... messages) {
    Map<UUID, Integer> members = Map.of(stepA, 1, stepB, 1);
    BatchRow batch = new BatchRow(batchId, WORKER, 2, BatchState.PUBLISHED, members);
    ResultSnapshot snapshot = new ResultSnapshot(steps, Map.of(batchId, batch), reported);
    List<ResultReceived> received = new ArrayList<>();
    for (Message message : messages) {
      received.add(new ResultReceived(WORKER, message, "{}", NOW));
    }
    return new ResultDecider(new Backoff(new SplittableRandom(1)), snapshot)
        .decide(received);
  }

  private PartialResult completed(UUID step, int attempt) {
    return new PartialResult(batchId, step, attempt, StepStatus.COMPLETED,
        JsonNodeFactory.instance.objectNode().put("ok", true), null, WORKER, sequence++, NOW, 5);
  }

  private PartialResult failed(UUID step, boolean retryable, Long retryAfterMs) {
    return new PartialResult(batchId, step, 1, StepStatus.FAILED, null,
        new StepError("boom", "Boom", List.of(), retryable, retryAfterMs), WORKER, sequence++, NOW, 5);
  }

  private BatchCompletion completion(StepSummary... summaries) {
    int completedCount = (int) List.of(summaries).stream().filter(s -> s.status() == StepStatus.COMPLETED).count();
    int failedCount = (int) List.of(summaries).stream().filter(s -> s.status() == StepStatus.FAILED).count();
    return new BatchCompletion(batchId, 2, completedCount, failedCount, 0, List.of(summaries), NOW);
  }

  private static StepSummary summary(UUID step, StepStatus status) {
    return new StepSummary(step, 1, status, JsonNodeFactory.instance.objectNode(),
        status == StepStatus.FAILED ? new StepError("boom", "Boom", List.of(), false, null) : null, 5);
  }

  @Test
  void a_completed_partial_result_completes_its_step_and_marks_the_batch_executing() {
    Decisions decisions = decide(completed(stepA, 1));

    assertThat(decisions.completed).containsOnlyKeys(stepA);
    assertThat(decisions.batchesExecuting).containsExactly(batchId);
    assertThat(decisions.ledger).extracting(Decisions.LedgerRow::outcome).containsExactly("applied");
  }

  @Test
  void a_duplicate_partial_result_is_applied_once_and_the_copy_is_rejected_with_a_reason() {
    PartialResult result = completed(stepA, 1);

    Decisions decisions = decide(result, result);

    assertThat(decisions.completed).hasSize(1);
    assertThat(decisions.stepTransitions).hasSize(1);
    assertThat(decisions.ledger).extracting(Decisions.LedgerRow::outcome).containsExactly("applied", "rejected");
    assertThat(decisions.ledger.get(1).processingErrorsJson()).contains("already complete");
  }

  @Test
  void a_result_for_an_attempt_that_was_not_sent_is_rejected() {
    Decisions decisions = decide(completed(stepA, 2));

    assertThat(decisions.completed).isEmpty();
    assertThat(decisions.ledger.get(0).processingErrorsJson()).contains("attempt 2 is not the attempt sent");
  }

  @Test
  void a_result_from_another_worker_is_rejected() {
    PartialResult impostor = new PartialResult(batchId, stepA, 1, StepStatus.COMPLETED, null, null, "worker-2",
        1, NOW, 1);

    Decisions decisions = decide(impostor);

    assertThat(decisions.completed).isEmpty();
    assertThat(decisions.ledger.get(0).processingErrorsJson()).contains("was sent to worker worker-1, not worker-2");
  }

  @Test
  void a_late_result_of_a_superseded_attempt_is_rejected() {
    steps.put(stepA, aStepInProgress(stepA, 2, 3));

    Decisions decisions = decide(completed(stepA, 1));

    assertThat(decisions.completed).isEmpty();
    assertThat(decisions.ledger.get(0).processingErrorsJson()).contains("superseded");
  }

  @Test
  void a_result_for_a_step_of_another_batch_is_rejected() {
    Decisions decisions = decide(completed(Ids.newId(), 1));

    assertThat(decisions.ledger.get(0).outcome()).isEqualTo("rejected");
    assertThat(decisions.ledger.get(0).processingErrorsJson()).contains("was not sent in batch");
  }

  @Test
  void a_retryable_failure_with_attempts_left_waits_for_its_backoff() {
    Decisions decisions = decide(failed(stepA, true, null));

    assertThat(decisions.retries).containsOnlyKeys(stepA);
    assertThat(decisions.retries.get(stepA).delayMs()).isBetween(500L, 1000L);
    assertThat(decisions.failed).isEmpty();
  }

  @Test
  void a_retry_after_sets_the_delay() {
    Decisions decisions = decide(failed(stepA, true, 7000L));

    assertThat(decisions.retries.get(stepA).delayMs()).isEqualTo(7000L);
  }

  @Test
  void a_retryable_failure_of_the_last_attempt_ends_the_step_in_error() {
    steps.put(stepA, aStepInProgress(stepA, 3, 3));
    PartialResult last = new PartialResult(batchId, stepA, 3, StepStatus.FAILED, null,
        new StepError("boom", "Boom", List.of(), true, null), WORKER, 1, NOW, 5);

    Decisions decisions = decideWithAttempt(last, 3);

    assertThat(decisions.failed).containsOnlyKeys(stepA);
    assertThat(decisions.failed.get(stepA).reason()).isEqualTo(DeadLetters.Reason.ATTEMPTS_EXHAUSTED);
    assertThat(decisions.retries).isEmpty();
  }

  private Decisions decideWithAttempt(PartialResult result, int attemptSent) {
    BatchRow batch = new BatchRow(batchId, WORKER, 2, BatchState.PUBLISHED, Map.of(stepA, attemptSent, stepB, 1));
    ResultSnapshot snapshot = new ResultSnapshot(steps, Map.of(batchId, batch), reported);
    return new ResultDecider(new Backoff(new SplittableRandom(1)), snapshot)
        .decide(List.of(new ResultReceived(WORKER, result, "{}", NOW)));
  }

  @Test
  void a_permanent_failure_ends_the_step_in_error_on_the_first_attempt() {
    Decisions decisions = decide(failed(stepA, false, null));

    assertThat(decisions.failed).containsOnlyKeys(stepA);
    assertThat(decisions.failed.get(stepA).errorJson()).contains("\"retryable\":false").contains("\"error_type\":\"Boom\"");
    assertThat(decisions.failed.get(stepA).reason()).isEqualTo(DeadLetters.Reason.PERMANENT_FAILURE);
  }

  @Test
  void a_completion_matching_its_partials_is_consistent() {
    Decisions decisions =
        decide(completed(stepA, 1), completed(stepB, 1),
            completion(summary(stepA, StepStatus.COMPLETED), summary(stepB, StepStatus.COMPLETED)));

    assertThat(decisions.batchesCompleted).containsEntry(batchId, "consistent");
    assertThat(decisions.discrepancies).isEmpty();
    assertThat(decisions.ledger.get(2).outcome()).isEqualTo("recorded");
  }

  @Test
  void a_lost_partial_is_filled_in_from_the_completion_and_recorded_as_a_discrepancy() {
    Decisions decisions =
        decide(completed(stepA, 1),
            completion(summary(stepA, StepStatus.COMPLETED), summary(stepB, StepStatus.COMPLETED)));

    assertThat(decisions.completed).containsOnlyKeys(stepA, stepB);
    assertThat(decisions.batchesCompleted).containsEntry(batchId, "discrepancy");
    assertThat(decisions.discrepancies).extracting(Decisions.Discrepancy::kind).containsExactly("missing_partial");
    assertThat(decisions.discrepancies.get(0).stepId()).isEqualTo(stepB);
  }

  @Test
  void partials_reported_in_earlier_transactions_count_for_reconciliation() {
    reported.put(batchId, Map.of(stepA, StepStatus.COMPLETED, stepB, StepStatus.COMPLETED));
    steps.put(stepA, new StepRow(stepA, taskId, StepState.COMPLETE, 1, 3, true, 1000, 30_000, true, "test_handler", StepType.STANDARD, BackoffKind.EXPONENTIAL));
    steps.put(stepB, new StepRow(stepB, taskId, StepState.COMPLETE, 1, 3, true, 1000, 30_000, true, "test_handler", StepType.STANDARD, BackoffKind.EXPONENTIAL));

    Decisions decisions =
        decide(completion(summary(stepA, StepStatus.COMPLETED), summary(stepB, StepStatus.COMPLETED)));

    assertThat(decisions.discrepancies).isEmpty();
    assertThat(decisions.completed).isEmpty();
  }

  @Test
  void a_completion_contradicting_a_partial_is_a_status_mismatch_and_the_partial_stands() {
    Decisions decisions =
        decide(completed(stepA, 1), completed(stepB, 1),
            completion(summary(stepA, StepStatus.FAILED), summary(stepB, StepStatus.COMPLETED)));

    assertThat(decisions.completed).containsOnlyKeys(stepA, stepB);
    assertThat(decisions.discrepancies).extracting(Decisions.Discrepancy::kind).containsExactly("status_mismatch");
  }

  @Test
  void completion_counts_that_disagree_with_the_summaries_are_a_count_mismatch() {
    BatchCompletion wrongCounts = new BatchCompletion(batchId, 2, 2, 0, 0,
        List.of(summary(stepA, StepStatus.COMPLETED), summary(stepB, StepStatus.FAILED)), NOW);

    Decisions decisions = decide(completed(stepA, 1), failed(stepB, false, null), wrongCounts);

    assertThat(decisions.discrepancies).extracting(Decisions.Discrepancy::kind).containsExactly("count_mismatch");
  }

  @Test
  void a_completion_missing_a_step_and_naming_a_stranger_records_both() {
    UUID stranger = Ids.newId();

    Decisions decisions =
        decide(completed(stepA, 1), completion(summary(stepA, StepStatus.COMPLETED), summary(stranger, StepStatus.COMPLETED)));

    assertThat(decisions.discrepancies).extracting(Decisions.Discrepancy::kind)
        .contains("unknown_step", "missing_summary");
  }

  @Test
  void a_second_completion_of_the_same_batch_is_rejected() {
    BatchCompletion completion = completion(summary(stepA, StepStatus.COMPLETED), summary(stepB, StepStatus.COMPLETED));

    Decisions decisions = decide(completed(stepA, 1), completed(stepB, 1), completion, completion);

    assertThat(decisions.ledger).extracting(Decisions.LedgerRow::outcome)
        .containsExactly("applied", "applied", "recorded", "rejected");
  }

  @Test
  void a_completion_for_an_unknown_batch_is_rejected() {
    BatchCompletion unknown = new BatchCompletion(Ids.newId(), 0, 0, 0, 0, List.of(), NOW);

    Decisions decisions = decide(unknown);

    assertThat(decisions.ledger.get(0).outcome()).isEqualTo("rejected");
    assertThat(decisions.ledger.get(0).processingErrorsJson()).contains("unknown batch");
  }
}
