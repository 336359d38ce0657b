package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import dev.tasker.orchestrator.internal.retry.Backoff;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import dev.tasker.protocol.StepError;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What becomes of attempts that ran past their deadline: each fails with error type {@code
 * timeout}, and is retried by the step's policy or, when it may not be, fails for good with a
 * {@code timeout} dead letter. Decided like a failure a worker reports, and written with the same
 * statement as the applier's decisions, in the caller's transaction.
 */
public final class AttemptTimeouts {

  /**
   * An attempt past its deadline, whose step the caller has locked in progress.
   *
   * @param timeoutMs the attempt's timeout, for the error message
   * @param handler the step's handler, for metrics
   */
  public record Expired(
      UUID stepId, int attempts, int maxAttempts, boolean retryable, long backoffBaseMs, long maxBackoffMs,
      long timeoutMs, String handler) {}

  private final Decisions decisions;
  private final Map<UUID, String> handlers;

  private AttemptTimeouts(Decisions decisions, Map<UUID, String> handlers) {
    this.decisions = decisions;
    this.handlers = handlers;
  }

  /** Decides, for each expired attempt, a retry (delayed by {@code backoff}) or a failure for good. */
  public static AttemptTimeouts decide(List<Expired> expired, Backoff backoff) {
    Decisions decisions = new Decisions();
    Map<UUID, String> handlers = new HashMap<>();
    for (Expired step : expired) {
      handlers.put(step.stepId(), step.handler());
      StepError error = new StepError(
          "attempt " + step.attempts() + " did not finish within its timeout of " + step.timeoutMs() + " ms",
          "timeout", List.of(), true, null);
      String errorJson = ResultDecider.errorJson(error, step.attempts());
      StepState target;
      if (step.retryable() && step.attempts() < step.maxAttempts()) {
        target = StepState.WAITING_FOR_RETRY;
        long delay = backoff.delayMillis(step.attempts(), step.backoffBaseMs(), step.maxBackoffMs(), null);
        decisions.retries.put(step.stepId(), new Decisions.Retry(delay, errorJson));
      } else {
        target = StepState.ERROR;
        decisions.failed.put(step.stepId(), new DeadLetters.Entry(step.stepId(), DeadLetters.Reason.TIMEOUT, errorJson));
      }
      StepState.IN_PROGRESS.requireTransitionTo(target);
      decisions.stepTransitions.add(
          new TransitionWriter.Change(step.stepId(), target.dbName(), "{\"reason\":\"timeout\"}", null));
    }
    return new AttemptTimeouts(decisions, handlers);
  }

  /** Attempts that will be retried. */
  public int retried() {
    return decisions.retries.size();
  }

  /** Attempts whose steps failed for good. */
  public int failed() {
    return decisions.failed.size();
  }

  /** The earliest retry scheduled, or {@code null}. */
  public Long shortestRetryDelayMs() {
    return decisions.shortestRetryDelayMs();
  }

  /** Adds the failed attempts, retries and dead letters to the metrics: after the commit. */
  public void recordTo(TaskerMetrics metrics) {
    ResultTally.of(decisions, handlers::get).recordTo(metrics);
  }

  /** Writes the steps' new states, transitions, dead letters and task progress. */
  public void write(Connection connection) throws SQLException {
    ResultStore.write(connection, decisions);
  }
}
