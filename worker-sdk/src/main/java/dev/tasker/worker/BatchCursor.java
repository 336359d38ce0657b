package dev.tasker.worker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of a {@code batchable} step's work: the items {@code [startCursor, endCursor)} (start
 * inclusive, end exclusive). A batchable step returns these in {@link StepResult#batches(String,
 * List, long)}; each {@code batch_worker} step the orchestrator creates gets one back as {@link
 * StepContext#cursor()}. In JSON: {@code {"batch_id": "001", "start_cursor": 0, "end_cursor": 200,
 * "batch_size": 200}}. Immutable.
 *
 * @param batchId names the batch among its siblings, such as {@code 001}
 * @param startCursor the first item, at least 0
 * @param endCursor one past the last item, at least {@code startCursor}
 * @param batchSize the chunk size the work was split by, at least 1; the last batch may hold fewer
 *     items ({@link #itemCount()})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BatchCursor(
    @JsonProperty(value = "batch_id", required = true) String batchId,
    @JsonProperty(value = "start_cursor", required = true) long startCursor,
    @JsonProperty(value = "end_cursor", required = true) long endCursor,
    @JsonProperty(value = "batch_size", required = true) long batchSize) {

  /** Fewest digits of the batch ids {@link #split} makes: {@code 001}, {@code 002}, ... */
  public static final int BATCH_ID_DIGITS = 3;

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException naming the field and the constraint
   */
  public BatchCursor {
    if (batchId == null || batchId.isBlank()) {
      throw new IllegalArgumentException("batchId must not be blank");
    }
    if (startCursor < 0) {
      throw new IllegalArgumentException("startCursor must be >= 0 but was " + startCursor);
    }
    if (endCursor < startCursor) {
      throw new IllegalArgumentException(
          "endCursor must be >= startCursor (" + startCursor + ") but was " + endCursor);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
  }

  /** How many items the batch holds: {@code endCursor - startCursor}. */
  public long itemCount() {
    return endCursor - startCursor;
  }

  /**
   * Splits the items {@code [0, totalItems)} into batches of {@code batchSize} items, in order,
   * with ids {@code 001}, {@code 002}, ... (more digits past 999). The last batch holds the rest
   * and may be shorter; every batch records {@code batchSize}. No items make no batches.
   *
   * @param totalItems how many items there are, at least 0
   * @param batchSize most items per batch, at least 1
   * @return a new modifiable list
   * @throws IllegalArgumentException when an argument is out of range, or the split would make more
   *     than {@link Integer#MAX_VALUE} batches
   */
  public static List<BatchCursor> split(long totalItems, long batchSize) {
    if (totalItems < 0) {
      throw new IllegalArgumentException("totalItems must be >= 0 but was " + totalItems);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
    }
    long count = totalItems / batchSize + (totalItems % batchSize == 0 ? 0 : 1);
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "totalItems / batchSize must make at most " + Integer.MAX_VALUE + " batches but makes " + count);
    }
    List<BatchCursor> cursors = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long start = i * batchSize;
      long end = start + Math.min(batchSize, totalItems - start);
      cursors.add(new BatchCursor(String.format("%0" + BATCH_ID_DIGITS + "d", i + 1), start, end, batchSize));
    }
    return cursors;
  }
}
