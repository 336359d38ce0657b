package dev.tasker.orchestrator.internal.metrics;

import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import dev.tasker.orchestrator.internal.transport.WorkerSession;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code tasker_workers{state, language}}: the workers registered with this orchestrator, counted
 * from its in-memory registry at each scrape. A worker the orchestrator declared dead or gone is no
 * longer registered, so it is not counted; the database's {@code workers} table keeps the history.
 */
final class WorkerGauges {

  private final WorkerRegistry registry;
  private final MultiGauge workers;

  private WorkerGauges(WorkerRegistry registry, MultiGauge workers) {
    this.registry = registry;
    this.workers = workers;
  }

  static void bind(TaskerMetrics metrics, WorkerRegistry registry) {
    WorkerGauges gauges = new WorkerGauges(registry, MultiGauge.builder("tasker.workers")
        .description("Workers registered with this orchestrator, by state and language")
        .register(metrics.registry()));
    metrics.beforeScrape(gauges::refresh);
  }

  void refresh() {
    Map<List<String>, Integer> counts = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    for (WorkerSession session : registry.sessions()) {
      String language = session.language() == null ? "unknown" : session.language();
      counts.merge(List.of(state(session), language), 1, Integer::sum);
    }
    workers.register(counts.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey().get(0), "language", e.getKey().get(1)), e.getValue()))
        .toList(), true);
  }

  static String state(WorkerSession session) {
    if (session.draining()) {
      return "draining";
    }
    return session.unreachable() ? "unreachable" : "active";
  }
}
