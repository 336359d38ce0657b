/**
 * Deadline sweeping: the sweeper sleeps until the next attempt or batch deadline, fails attempts
 * that ran past theirs, closes batches that got no completion, and declares dead the workers that
 * held steps but did not come back after a restart. Implementation of the orchestrator; not
 * supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.deadlines;
