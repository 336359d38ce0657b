/**
 * Retention: deleting finished tasks, with everything recorded about them, once they are older
 * than the configured number of days. Implementation of the orchestrator; not supported API, may
 * change in any release.
 */
package dev.tasker.orchestrator.internal.retention;
