package dev.tasker.orchestrator.internal.metrics;

import dev.tasker.orchestrator.internal.db.Sql;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the database: steps by state and handler, from the partial indexes of those
 * states, and each table's size and estimated rows, from the catalog. Read when scraped, at most
 * once per {@link #MAX_AGE_MS}, on a thread of their own: a scrape waits up to {@link #WAIT_MS} for
 * fresh values and otherwise shows the last ones, so an unreachable database never holds a scrape
 * for the pool's connection timeout. Every orchestrator on a database reports the same values.
 */
final class DatabaseGauges {

  /** How long values are reused, in milliseconds: scrapes from several Prometheus servers cost one read. */
  static final long MAX_AGE_MS = 5_000;
  /** How long a scrape waits for values being read, in milliseconds. */
  static final long WAIT_MS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

  private final DataSource dataSource;
  private final MultiGauge steps;
  private final MultiGauge tableBytes;
  private final MultiGauge tableRows;
  private final SingleFlight<Boolean> reader;
  private volatile long readAtNanos;
  private volatile boolean everRead;

  private DatabaseGauges(DataSource dataSource, TaskerMetrics metrics) {
    this.dataSource = dataSource;
    this.steps = MultiGauge.builder("tasker.steps")
        .description("Steps ready to dispatch, waiting for a retry, or in progress, by handler (at most 5 s old)")
        .register(metrics.registry());
    this.tableBytes = MultiGauge.builder("tasker.table.size")
        .description("Bytes of each Tasker table with its indexes and TOAST (at most 5 s old)")
        .baseUnit("bytes")
        .register(metrics.registry());
    this.tableRows = MultiGauge.builder("tasker.table.rows.estimate")
        .description("PostgreSQL's estimate of each Tasker table's rows, as of its last vacuum or analyze")
        .register(metrics.registry());
    this.reader = new SingleFlight<>("tasker-metrics-reader", this::read);
  }

  /** Registers the gauges; they are read when {@code metrics} is scraped. */
  static DatabaseGauges bind(TaskerMetrics metrics, DataSource dataSource) {
    DatabaseGauges gauges = new DatabaseGauges(dataSource, metrics);
    metrics.beforeScrape(gauges::refreshIfStale);
    return gauges;
  }

  void refreshIfStale() {
    if (everRead && System.nanoTime() - readAtNanos < TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MS)) {
      return;
    }
    try {
      reader.run().get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.debug("database gauges not refreshed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Boolean read() {
    List<MultiGauge.Row<?>> stepRows = new ArrayList<>();
    List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
    List<MultiGauge.Row<?>> rowRows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(DatabaseGauges.class, "step_counts.sql"));
          ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          stepRows.add(MultiGauge.Row.of(Tags.of("state", rs.getString(1), TaskerMetrics.HANDLER, rs.getString(2)),
              rs.getLong(3)));
        }
      }
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(DatabaseGauges.class, "table_sizes.sql"));
          ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          Tags table = Tags.of("table", rs.getString(1));
          byteRows.add(MultiGauge.Row.of(table, rs.getLong(2)));
          rowRows.add(MultiGauge.Row.of(table, rs.getLong(3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the database gauges failed: " + e.getMessage(), e);
    }
    // Overwritten whole: a handler with no step left in a state drops out instead of staying at its last count.
    steps.register(stepRows, true);
    tableBytes.register(byteRows, true);
    tableRows.register(rowRows, true);
    readAtNanos = System.nanoTime();
    everRead = true;
    return true;
  }

  /** Stops the reading thread. */
  void close() {
    reader.close();
  }
}
