package dev.tasker.orchestrator.internal.results;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.internal.state.TransitionWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Everything a set of results changes, decided before anything is written. */
final class Decisions {

  /** One row of the received-results ledger. */
  record LedgerRow(
      UUID batchId,
      UUID stepId,
      String messageType,
      String workerId,
      Long sequence,
      Integer attempt,
      String status,
      Long executionTimeMs,
      String rawJson,
      String outcome,
      String processingErrorsJson,
      Instant receivedAt) {}

  /**
   * A retry to schedule, {@code delayMs} from the moment it is written: the due time is computed in
   * SQL on the database's clock, which every orchestrator shares.
   */
  record Retry(long delayMs, String errorJson) {}

  /** A difference between a batch completion and the partial results. */
  record Discrepancy(UUID batchId, UUID stepId, String kind, String detailJson) {}

  final List<LedgerRow> ledger = new ArrayList<>();
  final Map<UUID, JsonNode> completed = new LinkedHashMap<>();
  final Map<UUID, Retry> retries = new LinkedHashMap<>();
  final Map<UUID, DeadLetters.Entry> failed = new LinkedHashMap<>();
  /** Batch workers that yielded: their checkpoints, by step. */
  final Map<UUID, JsonNode> checkpoints = new LinkedHashMap<>();
  final List<TransitionWriter.Change> stepTransitions = new ArrayList<>();
  final Set<UUID> batchesExecuting = new LinkedHashSet<>();
  final Map<UUID, String> batchesCompleted = new LinkedHashMap<>();
  final List<Discrepancy> discrepancies = new ArrayList<>();

  boolean changesSteps() {
    return !completed.isEmpty() || !retries.isEmpty() || !failed.isEmpty() || !checkpoints.isEmpty();
  }

  /** The shortest retry delay scheduled, in milliseconds, or {@code null}. */
  Long shortestRetryDelayMs() {
    return retries.values().stream().map(Retry::delayMs).min(Long::compareTo).orElse(null);
  }
}
