package dev.tasker.schema;

/** Root of the schema module's exceptions: a database could not be reached, started or migrated. */
public class TaskerSchemaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what failed, naming the database or setting */
  public TaskerSchemaException(String message, Throwable cause) {
    super(message, cause);
  }

  /** @param message what failed, naming the database or setting */
  public TaskerSchemaException(String message) {
    super(message);
  }
}
