package dev.tasker.worker;

/** Root of the worker SDK's exceptions. */
public class StepWorkerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, naming the worker */
  public StepWorkerException(String message) {
    super(message);
  }
}
