/** Implementation of the orchestrator; not supported API, may change in any release. */
package dev.tasker.orchestrator.internal.results;
