/**
 * What workers report: results decided against the steps' and batches' current state and applied
 * in arrival order, with dead letters, discrepancies and the children made ready. Implementation
 * of the orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.results;
