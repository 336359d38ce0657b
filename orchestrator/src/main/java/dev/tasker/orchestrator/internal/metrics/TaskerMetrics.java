package dev.tasker.orchestrator.internal.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.tasker.orchestrator.internal.transport.WorkerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's meters, in one Prometheus registry per orchestrator. Components record what
 * they did once per batch or transaction ({@code increment(n)}), never per step: a counter is an
 * atomic add, and the per-handler counters are looked up in a map of their own rather than built
 * through the registry each time. Gauges that cost a query are computed when scraped, at most every
 * few seconds, off the scraping thread ({@link DatabaseGauges}). Thread-safe.
 */
public final class TaskerMetrics implements AutoCloseable {

  /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  static final String HANDLER = "handler";

  private static final Logger log = LoggerFactory.getLogger(TaskerMetrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private JvmGcMetrics gc;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final Map<String, Counter> dispatched = new ConcurrentHashMap<>();
  private final Map<String, Counter> completed = new ConcurrentHashMap<>();
  private final Map<String, Counter> failed = new ConcurrentHashMap<>();
  private final Map<String, Counter> retried = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> deadLettered = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> results = new ConcurrentHashMap<>();
  private final Map<String, Counter> retentionRemoved = new ConcurrentHashMap<>();
  private final LongAdder finishedSteps = new LongAdder();
  private final DistributionSummary batchSize;
  private final Timer dispatchRound;
  private final Timer applyTransaction;
  private volatile DatabaseGauges database;

  /** A registry with the orchestrator's meters, none recorded yet. */
  public TaskerMetrics() {
    batchSize = DistributionSummary.builder("tasker.batch.size")
        .description("Steps in each batch sent to a worker")
        .baseUnit("steps")
        .publishPercentileHistogram()
        .register(registry);
    dispatchRound = Timer.builder("tasker.dispatch.round")
        .description("One claim round: reserve credit, claim ready steps in a transaction, queue the batches")
        .publishPercentileHistogram()
        .register(registry);
    applyTransaction = Timer.builder("tasker.apply.transaction")
        .description("One transaction applying a group of received results")
        .publishPercentileHistogram()
        .register(registry);
  }

  /** The registry, for binders (the connection pool's) and for tests. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Adds the JVM's meters: memory, garbage collection, threads, processors, class loading. Once. */
  public synchronized void bindJvm() {
    if (gc != null) {
      return;
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
  }

  /**
   * Adds the gauges read from the database ({@link DatabaseGauges}) and, when {@code dataSource} is
   * a HikariCP pool without a metrics tracker yet, the pool's own meters ({@code hikaricp_*}).
   */
  public void bindDatabase(DataSource dataSource) {
    database = DatabaseGauges.bind(this, dataSource);
    try {
      if (dataSource.isWrapperFor(HikariDataSource.class)) {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        if (pool.getMetricsTrackerFactory() == null && pool.getMetricRegistry() == null) {
          pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
      }
    } catch (java.sql.SQLException | IllegalStateException e) {
      // Another orchestrator in this JVM already tracks the pool: its registry has the pool's meters.
      log.debug("connection pool metrics not bound: {}", e.toString());
    }
  }

  /** Adds {@code tasker_workers}, counted from {@code workers} at each scrape. */
  public void bindWorkers(WorkerRegistry workers) {
    WorkerGauges.bind(this, workers);
  }

  /** Adds {@code tasker_applier_backlog}: received messages waiting to be applied. */
  public void bindApplierBacklog(IntSupplier backlog) {
    Gauge.builder("tasker.applier.backlog", backlog, IntSupplier::getAsInt)
        .description("Received messages waiting for a result applier")
        .baseUnit("messages")
        .strongReference(true)
        .register(registry);
  }

  /** Runs {@code refresh} before each scrape: for gauges that are cheaper computed on demand. */
  void beforeScrape(Runnable refresh) {
    beforeScrape.add(refresh);
  }

  /** Every meter in Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  /** A batch of {@code steps} steps of {@code handler} was queued to a worker. */
  public void batchSent(String handler, int steps) {
    counter(dispatched, handler, h -> Counter.builder("tasker.steps.dispatched")
        .description("Steps sent to workers").tag(HANDLER, h)).increment(steps);
    batchSize.record(steps);
  }

  /** One dispatch round took {@code nanos}. */
  public void dispatchRound(long nanos) {
    dispatchRound.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One result-applying transaction took {@code nanos} (committed or not). */
  public void applyTransaction(long nanos) {
    applyTransaction.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Steps of {@code handler} completed by a worker's result. */
  public void stepsCompleted(String handler, long steps) {
    finishedSteps.add(steps);
    counter(completed, handler, h -> Counter.builder("tasker.steps.completed")
        .description("Steps completed by their workers").tag(HANDLER, h)).increment(steps);
  }

  /** Attempts of {@code handler}'s steps that failed (reported by the worker, or timed out). */
  public void stepsFailed(String handler, long attempts) {
    counter(failed, handler, h -> Counter.builder("tasker.steps.failed")
        .description("Step attempts that failed: reported failures and timeouts").tag(HANDLER, h)).increment(attempts);
  }

  /** Steps of {@code handler} scheduled for another attempt after a failure. */
  public void stepsRetried(String handler, long steps) {
    counter(retried, handler, h -> Counter.builder("tasker.steps.retried")
        .description("Failed steps scheduled for another attempt").tag(HANDLER, h)).increment(steps);
  }

  /** Steps of {@code handler} that failed for good, with a dead letter of {@code reason}. */
  public void stepsDeadLettered(String handler, String reason, long steps) {
    finishedSteps.add(steps);
    counter(deadLettered, List.of(handler, reason), key -> Counter.builder("tasker.steps.dead.lettered")
        .description("Steps that failed for good and got a dead letter")
        .tag(HANDLER, key.get(0)).tag("reason", key.get(1))).increment(steps);
  }

  /** Received results of {@code type} that the ledger recorded with {@code outcome}. */
  public void resultsReceived(String type, String outcome, long results) {
    counter(this.results, List.of(type, outcome), key -> Counter.builder("tasker.results")
        .description("Results received from workers, by message type and ledger outcome")
        .tag("type", key.get(0)).tag("outcome", key.get(1))).increment(results);
  }

  /** Steps this orchestrator saw finish (completed or dead-lettered) since it started: for throughput. */
  public long finishedSteps() {
    return finishedSteps.sum();
  }

  /** Retention removed {@code rows} rows of {@code table}. */
  public void retentionRemoved(String table, long rows) {
    if (rows > 0) {
      counter(retentionRemoved, table, t -> Counter.builder("tasker.retention.rows.removed")
          .description("Rows deleted by retention").tag("table", t)).increment(rows);
    }
  }

  private <K> Counter counter(Map<K, Counter> counters, K key, Function<K, Counter.Builder> builder) {
    Counter counter = counters.get(key);
    if (counter == null) {
      counter = counters.computeIfAbsent(key, k -> builder.apply(k).register(registry));
    }
    return counter;
  }

  @Override
  public synchronized void close() {
    DatabaseGauges gauges = database;
    if (gauges != null) {
      gauges.close();
    }
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
