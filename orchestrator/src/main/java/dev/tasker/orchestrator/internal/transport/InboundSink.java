package dev.tasker.orchestrator.internal.transport;

/** Where the transport puts what it receives. */
@FunctionalInterface
public interface InboundSink {
  /** Accepts an event; must not block for long. */
  void accept(InboundEvent event);
}
