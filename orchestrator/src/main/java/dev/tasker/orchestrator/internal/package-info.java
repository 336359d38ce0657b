/**
 * Implementation of the orchestrator. Not supported API: anything here may change in any release.
 */
package dev.tasker.orchestrator.internal;
