package dev.tasker.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The message types of protocol version 1 and the direction each one travels. The wire name is the
 * content of the message-type frame.
 */
public enum MessageType {
  /** Worker to orchestrator: registers a worker with its handlers and credit. */
  HELLO(Hello.class, Direction.TO_ORCHESTRATOR),
  /** Orchestrator to worker: accepts a HELLO and fixes the session's version and timing. */
  WELCOME(Welcome.class, Direction.TO_WORKER),
  /** Orchestrator to worker: refuses a HELLO, for example for an unsupported version. */
  REJECT(Reject.class, Direction.TO_WORKER),
  /** Both ways: liveness. */
  HEARTBEAT(Heartbeat.class, Direction.BOTH),
  /** Worker to orchestrator: changes the worker's credit (how many steps it may hold at once). */
  CREDIT(Credit.class, Direction.TO_ORCHESTRATOR),
  /** Both ways: no more work on this session; the worker drains what it holds. */
  GOODBYE(Goodbye.class, Direction.BOTH),
  /** Orchestrator to worker: a batch of steps to execute. */
  STEP_BATCH(StepBatchRequest.class, Direction.TO_WORKER),
  /** Worker to orchestrator: the outcome (or progress) of one step. */
  PARTIAL_RESULT(PartialResult.class, Direction.TO_ORCHESTRATOR),
  /** Worker to orchestrator: all steps of a batch have ended. */
  BATCH_COMPLETION(BatchCompletion.class, Direction.TO_ORCHESTRATOR),
  /** Orchestrator to worker: these results are stored; the worker may forget them. */
  ACK(Ack.class, Direction.TO_WORKER),
  /** Both ways: the peer's last message could not be accepted. */
  ERROR(ProtocolError.class, Direction.BOTH);

  /** Which peer sends a message type. */
  public enum Direction {
    /** Sent by workers only. */
    TO_ORCHESTRATOR,
    /** Sent by the orchestrator only. */
    TO_WORKER,
    /** Sent by both. */
    BOTH
  }

  private static final Map<String, MessageType> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Enum::name, Function.identity()));

  private final Class<? extends Message> bodyType;
  private final Direction direction;

  MessageType(Class<? extends Message> bodyType, Direction direction) {
    this.bodyType = bodyType;
    this.direction = direction;
  }

  /** The record class that carries this message's body. */
  public Class<? extends Message> bodyType() {
    return bodyType;
  }

  /** Which peer may send this message. */
  public Direction direction() {
    return direction;
  }

  /** The name used in the message-type frame; equal to {@link #name()}. */
  public String wireName() {
    return name();
  }

  /** Looks a type up by its wire name; empty for an unknown name. Case-sensitive. */
  public static Optional<MessageType> fromWireName(String wireName) {
    return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
  }
}
