package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Message;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the transport hands to the result applier, in arrival order. */
public sealed interface InboundEvent {

  /**
   * A PartialResult or BatchCompletion.
   *
   * @param senderWorkerId the worker id of the sending session, or {@code null} when the sender
   *     has not registered (for example after an orchestrator restart)
   * @param message the decoded message
   * @param rawJson the body as JSON, kept in the ledger
   * @param receivedAt when it arrived
   */
  record ResultReceived(String senderWorkerId, Message message, String rawJson, Instant receivedAt)
      implements InboundEvent {}

  /** A worker registered (HELLO accepted). */
  record WorkerRegistered(Hello hello, String protocolVersion, String encoding, Instant at)
      implements InboundEvent {}

  /**
   * Workers were heard from recently.
   *
   * @param creditByWorker each one's credit for this orchestrator: its last CREDIT, or its HELLO's
   *     concurrency
   */
  record WorkersSeen(Map<String, Integer> creditByWorker, Instant at) implements InboundEvent {}

  /**
   * A worker registered and listed the batches it holds; steps sent to it by an earlier
   * orchestrator in other batches never reached it (or it restarted) and must run again.
   */
  record WorkerRecovered(String workerId, List<UUID> heldBatches, Instant at) implements InboundEvent {}

  /** A worker said GOODBYE and is finishing the steps it holds. */
  record WorkerDraining(String workerId, Instant at) implements InboundEvent {}

  /**
   * A worker left: after its GOODBYE ({@code dead} false) or because it went silent ({@code dead}
   * true, and the steps it held must run again).
   */
  record WorkerGone(String workerId, boolean dead, Instant at) implements InboundEvent {}

  /** A batch could not be handed to its worker; its steps were never delivered. */
  record BatchUndeliverable(UUID batchId, String workerId, String reason) implements InboundEvent {}
}
