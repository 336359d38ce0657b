package dev.tasker.worker;

/** The orchestrator refused the worker's HELLO, for example for an unsupported protocol version. */
public final class WorkerRejectedException extends StepWorkerException {

  private static final long serialVersionUID = 1L;

  /** @param reason the orchestrator's reason from its REJECT */
  public WorkerRejectedException(String workerId, String reason) {
    super("orchestrator rejected worker " + workerId + ": " + reason);
  }
}
