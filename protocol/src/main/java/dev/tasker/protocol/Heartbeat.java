package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * Both ways: the sender is alive. Any message counts as a sign of life; heartbeats fill silences.
 *
 * @param sentAt when the sender sent it (informational; clocks may differ)
 */
public record Heartbeat(@JsonProperty(required = true) Instant sentAt) implements Message {

  /** Validates the fields. */
  public Heartbeat {
    Checks.required(sentAt, "sent_at");
  }

  @Override
  public MessageType type() {
    return MessageType.HEARTBEAT;
  }
}
