package dev.tasker.worker;

/**
 * Business logic for one kind of step. Implementations are called concurrently from several
 * threads (virtual threads on Java 21+) and must be thread-safe; the simplest way is to keep no
 * mutable state.
 *
 * <p>Execution is at-least-once: a step may run again after a worker crash or a lost result, so a
 * handler with side effects should make them idempotent, for example keyed by {@link
 * StepContext#stepId()}.
 *
 * <h2>Outcomes</h2>
 *
 * <ul>
 *   <li>Return {@link StepResult#success(Object)} with the output dependents will see.
 *   <li>A {@code decision} step returns {@link StepResult#decision(java.util.List)} or {@link
 *       StepResult#noBranches()}, a {@code batchable} step {@link StepResult#batches(String,
 *       java.util.List, long)} or {@link StepResult#noBatches()}: successes whose output tells the
 *       orchestrator which steps to create.
 *   <li>A {@code batch_worker} step may return {@link StepResult#checkpointYield(Object, long,
 *       Object)} to stop and be sent again later, resuming from {@link StepContext#checkpoint()}.
 *   <li>Return {@link StepResult#retryableFailure(String)} (optionally with a retry-after) when
 *       another attempt may succeed; the orchestrator retries with backoff until the step's
 *       max_attempts are used.
 *   <li>Return {@link StepResult#permanentFailure(String)} when no retry can help; the step ends in
 *       error at once.
 *   <li>Throwing anything counts as a retryable failure whose error type is the exception's class
 *       name and whose backtrace is its stack trace. Returning {@code null} counts as a retryable
 *       failure of type {@code null_result}.
 * </ul>
 */
@FunctionalInterface
public interface StepHandler {

  /**
   * Runs one attempt of a step.
   *
   * @param context the task's input, the outputs of the step's dependencies, the handler
   *     configuration from the template and the attempt number
   * @return the outcome; never {@code null}
   * @throws Exception any failure, reported as a retryable failure
   */
  StepResult handle(StepContext context) throws Exception;
}
