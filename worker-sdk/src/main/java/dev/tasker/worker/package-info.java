/**
 * The Java worker SDK. Implement {@link dev.tasker.worker.StepHandler} for your business logic,
 * return a {@link dev.tasker.worker.StepResult}, and serve handlers with a
 * {@link dev.tasker.worker.StepWorker}. {@link dev.tasker.worker.testing.StepHandlerHarness} runs a
 * handler in a unit test without sockets.
 */
package dev.tasker.worker;
