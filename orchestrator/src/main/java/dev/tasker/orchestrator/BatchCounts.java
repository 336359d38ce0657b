package dev.tasker.orchestrator;

import java.util.Map;

/**
 * Batches by current state and by reconciliation status, and the number of recorded
 * discrepancies.
 *
 * @param byState batches per current state (created, published, executing, completed, failed, ...)
 * @param byReconciliation batches per reconciliation status (pending, consistent, discrepancy)
 * @param discrepancies discrepancy rows recorded
 */
public record BatchCounts(Map<String, Long> byState, Map<String, Long> byReconciliation, long discrepancies) {

  /** Copies the maps. */
  public BatchCounts {
    byState = Map.copyOf(byState);
    byReconciliation = Map.copyOf(byReconciliation);
  }
}
