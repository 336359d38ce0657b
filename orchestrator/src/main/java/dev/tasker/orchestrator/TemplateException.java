package dev.tasker.orchestrator;

/**
 * A task template is invalid: malformed YAML, a missing or wrongly typed field, a duplicate step
 * name, an unknown dependency or a dependency cycle. The message names the source and the step.
 */
public final class TemplateException extends TaskerException {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong, naming the template source and step */
  public TemplateException(String message) {
    super(message);
  }

  /** @param message what is wrong, naming the template source and step */
  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
