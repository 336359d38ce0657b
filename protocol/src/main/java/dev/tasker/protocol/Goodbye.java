package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Both ways: no more work on this session. From a worker it means "send me nothing new; I will
 * finish and report what I hold". The orchestrator answers with its own GOODBYE once it will send
 * no further batch, after which the worker may disconnect as soon as its steps are reported. From an
 * orchestrator that is shutting down it means no more batches will come on this connection.
 *
 * @param reason why the session ends, for logs ("shutdown", "acknowledged")
 */
public record Goodbye(@JsonProperty(required = true) String reason) implements Message {

  /** Validates the fields. */
  public Goodbye {
    Checks.requiredText(reason, "reason");
  }

  @Override
  public MessageType type() {
    return MessageType.GOODBYE;
  }
}
