package dev.tasker.orchestrator;

/** A configuration value is missing, unknown or out of range; the message names the key. */
public final class ConfigurationException extends TaskerException {

  private static final long serialVersionUID = 1L;

  /** @param message names the key and the constraint, for example "batch_size must be >= 1" */
  public ConfigurationException(String message) {
    super(message);
  }
}
