package dev.tasker.orchestrator.internal.dispatch;

/**
 * What the dispatcher needs from the orchestrator's configuration.
 *
 * @param batchSize most steps per batch
 * @param maxStepsPerRound most steps claimed in one transaction
 * @param batchTimeoutMs how long a batch may wait for its completion, recorded with the batch
 * @param sweepIntervalMs longest sleep without a wake-up: a safety net, not the hot path
 * @param orchestratorId this process's id, recorded with each batch
 */
public record DispatchSettings(
    int batchSize, int maxStepsPerRound, long batchTimeoutMs, long sweepIntervalMs, String orchestratorId) {}
