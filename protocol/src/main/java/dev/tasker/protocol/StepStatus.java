package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Status of a step as a worker reports it. */
public enum StepStatus {
  /** The handler succeeded; {@code output} holds its result. */
  COMPLETED,
  /** The handler failed; {@code error} says how and whether a retry may help. */
  FAILED,
  /** Progress report: the step is still running. Not an outcome. */
  IN_PROGRESS,
  /**
   * Checkpoint yield (batch workers only): the handler stopped after recording its progress in
   * {@code checkpoint}; the orchestrator stores it and sends the step out again, and the handler
   * resumes from it. Ends the attempt without an outcome.
   */
  CHECKPOINT;

  /**
   * The wire form, lower case: {@code completed}, {@code failed}, {@code in_progress},
   * {@code checkpoint}.
   */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this status ends the attempt (every status but {@code in_progress}). */
  public boolean isTerminal() {
    return this != IN_PROGRESS;
  }

  /**
   * Parses the wire form.
   *
   * @throws IllegalArgumentException naming the accepted values, for anything else
   */
  @JsonCreator
  public static StepStatus fromWireName(String wireName) {
    for (StepStatus status : values()) {
      if (status.wireName().equals(wireName)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "status must be one of completed, failed, in_progress, checkpoint but was '" + wireName + "'");
  }
}
