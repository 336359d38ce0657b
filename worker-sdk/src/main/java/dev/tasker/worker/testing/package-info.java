/**
 * Test support for step handlers: {@link dev.tasker.worker.testing.StepHandlerHarness} runs a
 * handler without sockets or an orchestrator, with exactly the result mapping a
 * {@link dev.tasker.worker.StepWorker} applies.
 */
package dev.tasker.worker.testing;
