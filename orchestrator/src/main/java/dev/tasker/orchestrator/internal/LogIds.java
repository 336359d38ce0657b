package dev.tasker.orchestrator.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * Puts the ids a log line is about in the MDC ({@code worker_id}, {@code batch_id}, {@code
 * task_id}, {@code step_id}: the names the Java worker uses too), for the lines inside a {@code
 * try} block, so that the JSON log format ({@code TASKER_LOG_FORMAT=json}) carries them as fields.
 * Only around log statements, not around the hot path. Not thread-safe: close it on the thread
 * that opened it.
 */
public final class LogIds implements AutoCloseable {

  private final List<String> keys = new ArrayList<>(2);

  private LogIds() {}

  /** About one worker. */
  public static LogIds worker(String workerId) {
    return new LogIds().put("worker_id", workerId);
  }

  /** About one batch, sent to one worker. */
  public static LogIds batch(UUID batchId, String workerId) {
    return new LogIds().put("batch_id", batchId).put("worker_id", workerId);
  }

  /** About one step of one task. */
  public static LogIds step(UUID taskId, UUID stepId) {
    return new LogIds().put("task_id", taskId).put("step_id", stepId);
  }

  private LogIds put(String key, Object value) {
    if (value != null) {
      MDC.put(key, value.toString());
      keys.add(key);
    }
    return this;
  }

  @Override
  public void close() {
    keys.forEach(MDC::remove);
  }
}
