/**
 * Retry timing: {@code Backoff}, the one place the delay before a step's next attempt is computed,
 * for failures a worker reports and for attempts that time out. Implementation of the
 * orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.retry;
