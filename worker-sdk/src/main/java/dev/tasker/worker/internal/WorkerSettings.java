package dev.tasker.worker.internal;

import dev.tasker.protocol.Hello;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.worker.StepHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.ArrayList;

/**
 * Validated, immutable settings of one worker; built by {@code StepWorker.Builder}.
 *
 * @param endpoints the orchestrators' ZeroMQ endpoints, at least one: the worker opens a session
 *     with each
 * @param discover whether to open a session with each orchestrator a WELCOME names as well
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
    List<String> endpoints,
    boolean discover,
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

  /** Copies the endpoints, the handler map and encodings. */
  public WorkerSettings {
    endpoints = List.copyOf(endpoints);
    handlers = Map.copyOf(handlers);
    encodings = List.copyOf(encodings);
  }

  /**
   * This worker's HELLO.
   *
   * @param concurrency the credit it announces, at least 1
   * @param heldBatches every batch the worker holds
   */
  public Hello hello(int concurrency, List<UUID> heldBatches) {
    List<String> names = new ArrayList<>(handlers.keySet());
    names.sort(null);
    return new Hello(workerId, LANGUAGE, SDK_VERSION, ProtocolVersion.SUPPORTED, names, concurrency, encodings,
        heldBatches);
  }
}
