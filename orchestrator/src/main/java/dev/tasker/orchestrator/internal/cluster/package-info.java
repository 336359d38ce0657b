/**
 * Several orchestrators on one database: the registry each one beats its heart in, who is alive (by
 * the database's clock), and the advisory locks that let one of them at a time do maintenance.
 *
 * <p>Internal: not supported API; it may change in any release.
 */
package dev.tasker.orchestrator.internal.cluster;
