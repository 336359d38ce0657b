package dev.tasker.orchestrator.internal.transport;

/** Where the transport puts what it receives. */
public interface InboundSink {
  /** Accepts an event; must not block for long. */
  void accept(InboundEvent event);

  /**
   * Whether the sink can take more results now. While it cannot, the transport stops reading
   * from its socket, so that workers (and their unacknowledged results) wait in ZeroMQ's and
   * TCP's buffers instead of in memory without bound.
   */
  default boolean acceptsMoreResults() {
    return true;
  }
}
