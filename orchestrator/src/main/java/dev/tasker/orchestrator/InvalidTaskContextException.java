package dev.tasker.orchestrator;

import java.util.List;

/**
 * A task's context does not satisfy its template's {@code input_schema}. Nothing was stored.
 */
public final class InvalidTaskContextException extends TaskerException {

  private static final long serialVersionUID = 1L;

  private final List<String> violations;

  /** @param violations one line per violation, each naming the offending location */
  public InvalidTaskContextException(String template, List<String> violations) {
    super("task context does not match the input_schema of " + template + ": "
        + String.join("; ", violations));
    this.violations = List.copyOf(violations);
  }

  /** Each violation, naming the offending location in the context. */
  public List<String> violations() {
    return violations;
  }
}
