package dev.tasker.worker.internal;

import java.util.UUID;
import org.slf4j.MDC;

/**
 * The ids of the step a thread is running, in SLF4J's MDC while its handler runs: {@value
 * #WORKER_ID}, {@value #TASK_ID}, {@value #STEP_ID} and {@value #BATCH_ID}. A log backend that
 * prints the MDC (Logback's JsonEncoder does: {@code TASKER_LOG_FORMAT=json} with the {@code tasker}
 * command) then ties every line a handler logs to its step. Removed on close, so a pooled thread
 * does not carry them into the next step.
 */
public final class StepLogContext implements AutoCloseable {

  /** MDC key of the worker's id. */
  public static final String WORKER_ID = "worker_id";
  /** MDC key of the task's id. */
  public static final String TASK_ID = "task_id";
  /** MDC key of the step's id. */
  public static final String STEP_ID = "step_id";
  /** MDC key of the batch's id. */
  public static final String BATCH_ID = "batch_id";

  private StepLogContext() {}

  /** Puts the ids in the MDC until {@link #close()}. */
  public static StepLogContext of(String workerId, UUID taskId, UUID stepId, UUID batchId) {
    MDC.put(WORKER_ID, workerId);
    MDC.put(TASK_ID, String.valueOf(taskId));
    MDC.put(STEP_ID, String.valueOf(stepId));
    MDC.put(BATCH_ID, String.valueOf(batchId));
    return new StepLogContext();
  }

  @Override
  public void close() {
    MDC.remove(WORKER_ID);
    MDC.remove(TASK_ID);
    MDC.remove(STEP_ID);
    MDC.remove(BATCH_ID);
  }
}
