package dev.tasker.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The shape of a checkpoint, as a batch worker yields it and gets it back: a JSON object with
 * {@code cursor} (any JSON value but null: where to resume), optional {@code items_processed} (a
 * whole number, at least 0) and optional {@code accumulated_results} (any JSON value). Other keys
 * are kept as they are.
 */
public final class Checkpoints {

  private Checkpoints() {}

  /**
   * Checks that {@code checkpoint} is present exactly when {@code status} is {@code checkpoint}, and
   * well formed.
   *
   * @param prefix put before field names in messages, such as {@code step_summaries[].}
   * @throws IllegalArgumentException naming the field and what is wrong
   */
  static void check(StepStatus status, JsonNode checkpoint, String prefix) {
    boolean present = checkpoint != null && !checkpoint.isNull();
    if (status == StepStatus.CHECKPOINT && !present) {
      throw new IllegalArgumentException(prefix + "checkpoint is required when status is checkpoint");
    }
    if (status != StepStatus.CHECKPOINT && present) {
      throw new IllegalArgumentException(prefix + "checkpoint is allowed only when status is checkpoint");
    }
    if (present) {
      checkShape(checkpoint, prefix + "checkpoint");
    }
  }

  /** @throws IllegalArgumentException when {@code checkpoint} is not a checkpoint object */
  public static void checkShape(JsonNode checkpoint, String field) {
    if (!checkpoint.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
    JsonNode cursor = checkpoint.get("cursor");
    if (cursor == null || cursor.isNull()) {
      throw new IllegalArgumentException(field + ".cursor is required");
    }
    JsonNode items = checkpoint.get("items_processed");
    if (items != null && !items.isNull() && (!items.isIntegralNumber() || !items.canConvertToLong() || items.asLong() < 0)) {
      throw new IllegalArgumentException(field + ".items_processed must be a whole number, at least 0");
    }
  }
}
