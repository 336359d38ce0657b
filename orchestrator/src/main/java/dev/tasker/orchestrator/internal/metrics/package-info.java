/**
 * Metrics and health: the Prometheus registry the orchestrator's components record into, the
 * gauges read from the database and the worker registry, and the readiness checks. Implementation
 * of the orchestrator; not supported API, may change in any release.
 */
package dev.tasker.orchestrator.internal.metrics;
