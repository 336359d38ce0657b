package dev.tasker.worker.internal;

import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.worker.StepHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Validated, immutable settings of one worker; built by {@code StepWorker.Builder}.
 *
 * @param endpoint the orchestrator's ZeroMQ endpoint
 * @param workerId the worker's id, sent in HELLO and used as the socket identity
 * @param handlers handlers by name
 * @param concurrency most steps held at once (the credit)
 * @param preferVirtualThreads run handlers on virtual threads when available
 * @param drainTimeout how long closing waits for in-flight steps
 * @param helloRetryMax longest wait between HELLOs while no orchestrator answers
 * @param livenessMultiplier missed heartbeat intervals after which the orchestrator counts as gone
 * @param clock source of timestamps
 * @param encodings body encodings offered in HELLO, most preferred first
 * @param curve CURVE keys to connect with, or {@code null} to connect without CURVE
 */
public record WorkerSettings(
    String endpoint,
    String workerId,
    Map<String, StepHandler> handlers,
    int concurrency,
    boolean preferVirtualThreads,
    Duration drainTimeout,
    Duration helloRetryMax,
    int livenessMultiplier,
    Clock clock,
    List<String> encodings,
    CurveClientKeys curve) {

  /** Language announced in HELLO. */
  public static final String LANGUAGE = "java";

  /** SDK version announced in HELLO. */
  public static final String SDK_VERSION = "0.1.0";

  /** Copies the handler map and encodings. */
  public WorkerSettings {
    handlers = Map.copyOf(handlers);
    encodings = List.copyOf(encodings);
  }
}
