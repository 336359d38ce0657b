package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A step as stored, for status displays and tests.
 *
 * @param stepId the step's id
 * @param name its name in the template
 * @param handler its handler name
 * @param state its state
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed
 * @param results its output when complete, else {@code null}
 * @param lastError the last failure reported, else {@code null}
 * @param nextAttemptAt when a step waiting for retry becomes due, else {@code null}
 */
public record StepSnapshot(
    UUID stepId,
    String name,
    String handler,
    StepState state,
    int attempts,
    int maxAttempts,
    JsonNode results,
    JsonNode lastError,
    Instant nextAttemptAt) {}
