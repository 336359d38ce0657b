/**
 * Task progress: counters of active and done steps on each task, kept in the transaction that
 * changes the steps, and the task's finish when nothing can progress. Implementation of the
 * orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.progress;
