/**
 * The conformance kit behind {@code tasker conformance}: it plays the orchestrator over a real
 * ROUTER socket against any worker process and checks, scenario by scenario, that the worker
 * speaks the protocol as {@code docs/protocol.md} says. Scenarios are described for porters in
 * {@code docs/conformance.md}.
 */
package dev.tasker.cli.conformance;
