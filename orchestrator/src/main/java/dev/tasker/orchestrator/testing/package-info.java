/**
 * Test support: {@link dev.tasker.orchestrator.testing.TestOrchestrator} runs a real orchestrator on
 * a fresh database and a free port, for integration tests of handlers and workflows.
 */
package dev.tasker.orchestrator.testing;
