package dev.tasker.schema;

/** A database URL (for example {@code TASKER_DATABASE_URL}) cannot be understood. */
public final class InvalidDatabaseUrlException extends TaskerSchemaException {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong with the URL; never contains the password */
  public InvalidDatabaseUrlException(String message) {
    super(message);
  }
}
