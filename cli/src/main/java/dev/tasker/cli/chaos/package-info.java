/**
 * Chaos-testing tools of the {@code tasker} CLI, such as a proxy that duplicates, reorders, drops
 * and delays worker results. They exist to test the system under faults; they are not supported
 * API and may change in any release.
 */
package dev.tasker.cli.chaos;
