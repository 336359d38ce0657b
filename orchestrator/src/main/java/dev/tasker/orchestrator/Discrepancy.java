package dev.tasker.orchestrator;

import java.time.Instant;
import java.util.UUID;

/**
 * A difference between a batch's completion and the partial results received for it, or a batch
 * that got no completion.
 *
 * @param batchId the batch
 * @param stepId the step concerned, or {@code null} for the whole batch
 * @param kind {@code missing_partial}, {@code status_mismatch}, {@code missing_summary}, {@code
 *     unknown_step}, {@code duplicate_summary}, {@code unfinished_step}, {@code count_mismatch} or
 *     {@code no_completion}
 * @param detail what was found, for people
 * @param recordedAt when it was recorded
 * @param workerId the worker the batch was sent to
 */
public record Discrepancy(UUID batchId, UUID stepId, String kind, String detail, Instant recordedAt, String workerId) {}
