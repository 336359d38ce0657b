/**
 * Dependency release: a step becomes ready when its last dependency is satisfied, by decrementing
 * its {@code unmet_dependencies} in the transaction that finishes the parent. Implementation of
 * the orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.readiness;
