/**
 * A Java client of the orchestrator's HTTP API ({@code docs/api.md}): {@link
 * dev.tasker.client.TaskerHttpClient} and the values it sends and returns. It needs only the JDK's
 * {@code java.net.http} and Jackson: no ZeroMQ, no JDBC, no PostgreSQL. Use it from a service that
 * starts tasks and reads their state but does not run the orchestrator.
 */
package dev.tasker.client;
