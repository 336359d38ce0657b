package dev.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.internal.ApiJson;
import java.time.Instant;
import java.util.UUID;

/**
 * A step that failed for good ({@code GET /v1/dead-letters}).
 *
 * @param deadLetterId the entry's id
 * @param stepId the step
 * @param taskId its task
 * @param stepName the step's name
 * @param reason {@code permanent_failure}, {@code attempts_exhausted}, {@code worker_lost} or
 *     {@code timeout}
 * @param attempts attempts used
 * @param lastError the last error reported, or {@code null}
 * @param createdAt when the step failed for good
 * @param resolvedAt when an operator retried, resolved or cancelled it; {@code null} while open
 * @param resolution {@code retried}, {@code resolved_manually} or {@code cancelled}; {@code null}
 *     while open
 */
public record DeadLetter(
    long deadLetterId,
    UUID stepId,
    UUID taskId,
    String stepName,
    String reason,
    int attempts,
    JsonNode lastError,
    Instant createdAt,
    Instant resolvedAt,
    String resolution) {

  /** A JSON null error becomes {@code null}. */
  public DeadLetter {
    lastError = ApiJson.orNull(lastError);
  }
}
