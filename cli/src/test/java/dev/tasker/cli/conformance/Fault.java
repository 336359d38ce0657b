package dev.tasker.cli.conformance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One way {@link FaultyWorker} breaks the protocol; every fault but {@link #NONE} breaks exactly one
 * behaviour and leaves the rest correct. The name on the command line is the constant's name in
 * lower case with dashes ({@code --fault wrong-sequence}).
 */
enum Fault {
  /** A correct worker. */
  NONE,
  /** The second partial result of a batch repeats the first one's sequence number. */
  WRONG_SEQUENCE,
  /** Sequence numbers count across all batches of the session instead of per batch. */
  GLOBAL_SEQUENCE,
  /** Never sends HEARTBEAT. */
  NO_HEARTBEAT,
  /** Runs every step at once, whatever the credit it announced. */
  EXCEED_CREDIT,
  /** Runs a batch's steps one after the other. */
  SERIAL_STEPS,
  /** Reports a step for a handler it does not serve as a retryable failure. */
  RETRYABLE_UNKNOWN_HANDLER,
  /** Reports an exception thrown by a handler as a permanent failure. */
  RAISE_PERMANENT,
  /** Passes every integer of the echo's output through a double, as a JavaScript worker would. */
  ECHO_CHANGES_NUMBERS,
  /** Sends a batch's completion before the batch's last partial result. */
  COMPLETION_BEFORE_PARTIALS,
  /** Counts failed steps as completed in the batch completion. */
  COMPLETION_MISCOUNTS,
  /**
   * In JSON, puts the batch completion's {@code completed_at} on each step summary instead of the
   * message, as docs/protocol.md's table once had it.
   */
  COMPLETED_AT_PER_SUMMARY,
  /** Answers an ERROR from the orchestrator with an ERROR. */
  ANSWER_ERROR_WITH_ERROR,
  /** Drops a message whose version frame it does not speak, without an ERROR. */
  IGNORE_BAD_VERSION,
  /** On SIGTERM exits at once with status 0: no GOODBYE, held steps unreported. */
  NO_DRAIN,
  /** Drains correctly on SIGTERM, then exits with status 1. */
  EXIT_NONZERO_AFTER_DRAIN,
  /** While draining, exits once its results are sent, without waiting for the ACKs and GOODBYE. */
  DRAIN_WITHOUT_WAITING,
  /** While draining, drops batches that arrive before the orchestrator's GOODBYE. */
  DRAIN_DROPS_NEW_BATCHES,
  /** After registering again, does not send its unacknowledged results again. */
  NO_RESEND,
  /** Resends a batch's unacknowledged completion before its partial results. */
  RESEND_COMPLETION_FIRST,
  /** Ignores the partial results an ACK lists; forgets results only when their completion is acknowledged. */
  IGNORE_PARTIAL_ACKS,
  /** Ignores ACKs: keeps every result and lists its batch in HELLO for ever. */
  IGNORE_ACK,
  /** After the orchestrator's GOODBYE, registers again without held_batches and drops its held steps. */
  FORGET_AFTER_GOODBYE,
  /** After the orchestrator's GOODBYE, never registers again. */
  NO_REREGISTER_AFTER_GOODBYE,
  /** Never registers again when the orchestrator goes silent. */
  NO_LIVENESS_CHECK,
  /** Exits with status 0 after a REJECT. */
  EXIT_ZERO_ON_REJECT;

  /** The name used with {@code --fault}. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The fault named {@code cliName}.
   *
   * @throws IllegalArgumentException listing the known names when there is no such fault
   */
  static Fault fromCliName(String cliName) {
    return Arrays.stream(values()).filter(f -> f.cliName().equals(cliName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + cliName + "'; known: "
            + Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", "))));
  }
}
