package dev.tasker.orchestrator.internal.results;

import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * What a set of decisions adds to the metrics, counted in memory while its transaction runs and
 * recorded only once it has committed: a transaction that is rolled back and tried again must not
 * count twice. One counter increment per handler and kind, not per step.
 */
final class ResultTally {

  private static final String UNKNOWN = "unknown";

  private final Map<String, Long> completed = new HashMap<>();
  private final Map<String, Long> failed = new HashMap<>();
  private final Map<String, Long> retried = new HashMap<>();
  private final Map<List<String>, Long> deadLettered = new HashMap<>();
  private final Map<List<String>, Long> results = new HashMap<>();

  /**
   * @param handlerOf the handler of a decided step, or {@code null} when unknown
   */
  static ResultTally of(Decisions decisions, Function<UUID, String> handlerOf) {
    ResultTally tally = new ResultTally();
    decisions.completed.keySet().forEach(step -> tally.completed.merge(handler(handlerOf, step), 1L, Long::sum));
    decisions.retries.keySet().forEach(step -> {
      String handler = handler(handlerOf, step);
      tally.retried.merge(handler, 1L, Long::sum);
      tally.failed.merge(handler, 1L, Long::sum);
    });
    decisions.failed.values().forEach(entry -> {
      String handler = handler(handlerOf, entry.stepId());
      tally.deadLettered.merge(List.of(handler, entry.reason().dbName()), 1L, Long::sum);
      tally.failed.merge(handler, 1L, Long::sum);
    });
    decisions.ledger.forEach(row -> tally.results.merge(List.of(row.messageType(), row.outcome()), 1L, Long::sum));
    return tally;
  }

  private static String handler(Function<UUID, String> handlerOf, UUID stepId) {
    String handler = handlerOf.apply(stepId);
    return handler == null ? UNKNOWN : handler;
  }

  void recordTo(TaskerMetrics metrics) {
    completed.forEach(metrics::stepsCompleted);
    failed.forEach(metrics::stepsFailed);
    retried.forEach(metrics::stepsRetried);
    deadLettered.forEach((key, steps) -> metrics.stepsDeadLettered(key.get(0), key.get(1), steps));
    results.forEach((key, count) -> metrics.resultsReceived(key.get(0), key.get(1), count));
  }
}
