package dev.tasker.examples.csvinventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.worker.BatchCursor;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The handlers of {@code csv_processing/csv_inventory_analysis}: plan batches over the rows of the
 * product CSV named by the task's {@code csv_path}, compute each batch's {@link InventoryTotals}
 * with a checkpoint every {@code checkpoint_every} rows, then add the batches up. The Ruby port
 * ({@code ruby-worker/examples/csv_inventory.rb}) has the same callables, outputs and checkpoints.
 */
public final class CsvInventoryHandlers {

  /** The batch worker template step. */
  public static final String WORKER_TEMPLATE = "process_csv_batch";

  /** Rows per batch worker when the handler config does not say. */
  public static final long DEFAULT_BATCH_SIZE = 200;

  /** Rows between checkpoints when the handler config does not say. */
  public static final long DEFAULT_CHECKPOINT_EVERY = 50;

  private CsvInventoryHandlers() {}

  /** The handlers by callable name. */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put("csv_processing.analyze_csv", CsvInventoryHandlers::analyzeCsv);
    handlers.put("csv_processing.process_csv_batch", CsvInventoryHandlers::processCsvBatch);
    handlers.put("csv_processing.aggregate_csv_results", CsvInventoryHandlers::aggregateCsvResults);
    return handlers;
  }

  /**
   * Counts the file's rows and plans one batch worker per {@code batch_size} of them; an empty
   * file plans none. A missing file is a retryable failure (it may be on its way), a malformed
   * header a permanent one.
   */
  static StepResult analyzeCsv(StepContext context) throws IOException {
    Path file = Path.of(context.taskContext().path("csv_path").asText());
    if (!Files.isReadable(file)) {
      return StepResult.retryableFailure("cannot read " + file);
    }
    long rows;
    try {
      rows = InventoryCsv.countRows(file);
    } catch (IllegalArgumentException e) {
      return StepResult.permanentFailure("invalid_csv", e.getMessage());
    }
    long batchSize = context.handlerConfig().path("batch_size").asLong(DEFAULT_BATCH_SIZE);
    Map<String, Object> output = Map.of("csv_path", file.toString(), "rows", rows);
    if (rows == 0) {
      return StepResult.noBatches(output);
    }
    return StepResult.batches(WORKER_TEMPLATE, BatchCursor.split(rows, batchSize), rows, output);
  }

  /**
   * Adds up the next {@code checkpoint_every} rows of its cursor's range to the totals of its last
   * checkpoint (or from the range's start), then yields a checkpoint, or succeeds with the range's
   * totals when it reached the end. Sleeps the task's {@code row_delay_ms} (default 0) per row.
   */
  static StepResult processCsvBatch(StepContext context) throws IOException, InterruptedException {
    BatchCursor range = context.cursor().orElse(null);
    if (range == null) {
      return StepResult.permanentFailure("invalid_input", "process_csv_batch runs only as a batch worker, with a cursor");
    }
    long from = context.checkpointCursor().map(JsonNode::asLong).orElse(range.startCursor());
    InventoryTotals totals = context.accumulatedResults().map(InventoryTotals::fromJson).orElse(InventoryTotals.EMPTY);
    long every = context.handlerConfig().path("checkpoint_every").asLong(DEFAULT_CHECKPOINT_EVERY);
    long until = Math.min(range.endCursor(), from + every);
    long delayMs = context.taskContext().path("row_delay_ms").asLong(0);
    List<InventoryRow> rows;
    try {
      rows = InventoryCsv.read(Path.of(context.taskContext().path("csv_path").asText()), from, until);
    } catch (IllegalArgumentException e) {
      return StepResult.permanentFailure("invalid_csv", e.getMessage());
    }
    for (InventoryRow row : rows) {
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      totals = totals.plus(row);
    }
    if (until < range.endCursor()) {
      return StepResult.checkpointYield(until, until - range.startCursor(), totals.toMap());
    }
    Map<String, Object> output = new LinkedHashMap<>(totals.toMap());
    output.put("batch_id", range.batchId());
    return StepResult.success(output);
  }

  /**
   * Adds up the batch workers' totals. Fails permanently when they do not cover exactly the rows
   * analyze_csv counted.
   */
  static StepResult aggregateCsvResults(StepContext context) {
    InventoryTotals totals = InventoryTotals.EMPTY;
    int workers = 0;
    for (Map.Entry<String, JsonNode> result : context.previousResults().entrySet()) {
      if (result.getKey().startsWith(WORKER_TEMPLATE + "_")) {
        totals = totals.plus(InventoryTotals.fromJson(result.getValue()));
        workers++;
      }
    }
    long expected = context.previousResult("analyze_csv").path("rows").asLong();
    if (totals.rows() != expected) {
      return StepResult.permanentFailure("row_count_mismatch",
          "the batch workers processed " + totals.rows() + " rows but analyze_csv counted " + expected);
    }
    Map<String, Object> output = new LinkedHashMap<>(totals.toMap());
    output.put("batch_workers", workers);
    return StepResult.success(output);
  }
}
