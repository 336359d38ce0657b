package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Worker to orchestrator: from now on the worker may hold at most {@code credit} steps at once (an
 * absolute value, replacing the HELLO's concurrency). Steps already sent are not recalled; the
 * orchestrator sends nothing more until the worker holds fewer than {@code credit} steps.
 *
 * @param credit the new limit, at least 0; 0 pauses dispatch to this worker
 */
public record Credit(@JsonProperty(required = true) int credit) implements Message {

  /** Validates the fields. */
  public Credit {
    Checks.atLeast(credit, 0, "credit");
  }

  @Override
  public MessageType type() {
    return MessageType.CREDIT;
  }
}
