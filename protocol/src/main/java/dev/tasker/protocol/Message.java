package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A protocol message. The set of messages is closed: each one has exactly one {@link MessageType},
 * which travels in its own frame (see {@link Frames}).
 */
public sealed interface Message
    permits Hello, Welcome, Reject, Heartbeat, Credit, Goodbye, StepBatchRequest, PartialResult,
        BatchCompletion, Ack, ProtocolError {

  /** The type of this message, as named in the message-type frame. */
  @JsonIgnore
  MessageType type();
}
