package dev.tasker.worker.internal;

import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.Welcome;
import java.util.List;

/**
 * A worker's session with one orchestrator: its DEALER connection, whether and by which
 * orchestrator it is welcomed, the session's encoding and heartbeat interval, its clocks (when
 * something was last heard and sent, when to say HELLO next, with backoff), the credit this
 * orchestrator was last given, and the session's part of a drain. Times are monotonic milliseconds.
 * Used by the socket thread only.
 */
final class OrchestratorSession {

  private static final long INITIAL_HEARTBEAT_MS = 1000;
  private static final long INITIAL_HELLO_RETRY_MS = 200;

  private final int id;
  private final DealerConnection connection;
  private final long helloRetryMaxMs;
  private MessageCodec codec = JsonCodec.instance();
  private String orchestratorId;
  private boolean welcomed;
  private long heartbeatIntervalMs = INITIAL_HEARTBEAT_MS;
  private long helloRetryMs = INITIAL_HELLO_RETRY_MS;
  private long nextHelloAt;
  /** Since when the session has waited for a WELCOME: its opening, or its loss. */
  private long awaitingWelcomeSince;
  private boolean awaitingWelcomeReported;
  private long lastHeardAt;
  private long lastSentAt;
  private int hellosOnThisSocket;
  private int credit;
  private boolean helloAgain;
  private boolean goodbyeSent;
  private boolean goodbyeAcknowledged;

  /**
   * @param id the session's number, in order of creation; also its results' route in the outbox
   */
  OrchestratorSession(int id, DealerConnection connection, long helloRetryMaxMs, long now) {
    this.id = id;
    this.connection = connection;
    this.helloRetryMaxMs = helloRetryMaxMs;
    this.lastHeardAt = now;
    this.nextHelloAt = now;
    this.awaitingWelcomeSince = now;
  }

  int id() {
    return id;
  }

  DealerConnection connection() {
    return connection;
  }

  String endpoint() {
    return connection.endpoint();
  }

  /** The orchestrator that last welcomed this session, or {@code null} before any WELCOME. */
  String orchestratorId() {
    return orchestratorId;
  }

  boolean welcomed() {
    return welcomed;
  }

  MessageCodec codec() {
    return codec;
  }

  /** The credit this orchestrator was last given (HELLO or CREDIT). */
  int credit() {
    return credit;
  }

  void credit(int credit) {
    this.credit = credit;
  }

  /** A WELCOME came: the session uses its encoding and heartbeat interval from now on. */
  void welcome(Welcome welcome) {
    codec = Encodings.codec(welcome.encoding());
    orchestratorId = welcome.orchestratorId();
    heartbeatIntervalMs = welcome.heartbeatIntervalMs();
    helloRetryMs = INITIAL_HELLO_RETRY_MS;
    hellosOnThisSocket = 0;
    welcomed = true;
    awaitingWelcomeReported = false;
  }

  /**
   * Whether this WELCOME answers a HELLO sent again while the session was welcomed (to tell the
   * orchestrator the batches held): the session goes on, and nothing needs to be sent again.
   */
  boolean answersHelloAgain() {
    boolean again = welcomed && helloAgain;
    helloAgain = false;
    return again;
  }

  /** Marks that a HELLO is sent while the session stays welcomed. */
  void helloAgain() {
    helloAgain = true;
  }

  /** The orchestrator is gone or has forgotten this worker: say HELLO again now. */
  void lost(long now) {
    welcomed = false;
    helloAgain = false;
    goodbyeSent = false;
    goodbyeAcknowledged = false;
    credit = 0;
    nextHelloAt = now;
    awaitingWelcomeSince = now;
  }

  /**
   * Whether the session has waited {@code afterMs} for a WELCOME and that was not reported yet:
   * true once per wait (until a WELCOME, then once more if the session is lost and waits again).
   */
  boolean welcomeOverdue(long now, long afterMs) {
    if (welcomed || awaitingWelcomeReported || now - awaitingWelcomeSince < afterMs) {
      return false;
    }
    awaitingWelcomeReported = true;
    return true;
  }

  void heard(long now) {
    lastHeardAt = now;
  }

  /** Encodes (in the session's encoding, or JSON for the types always in JSON) and sends without blocking. */
  boolean send(Message message, long now) {
    return sent(connection.send(Frames.encode(message, codec)), now);
  }

  /** Records a send's outcome; returns it. */
  boolean sent(boolean sent, long now) {
    if (sent) {
      lastSentAt = now;
    }
    return sent;
  }

  /**
   * Counts a HELLO about to be sent and schedules the next one, with backoff.
   *
   * @return whether the socket should be replaced first: a connection that never completes its
   *     handshake would never deliver, and a new socket (and TCP connection) is the cure, as in
   *     ZeroMQ's "lazy pirate" pattern
   */
  boolean helloDue(long now, int hellosPerSocket) {
    boolean reopen = ++hellosOnThisSocket > hellosPerSocket;
    if (reopen) {
      hellosOnThisSocket = 1;
    }
    nextHelloAt = now + helloRetryMs;
    helloRetryMs = Math.min(helloRetryMs * 2, helloRetryMaxMs);
    return reopen;
  }

  boolean helloTime(long now) {
    return !welcomed && now >= nextHelloAt;
  }

  /** Whether nothing was heard for more than {@code liveness} heartbeat intervals. */
  boolean silent(long now, int liveness) {
    return welcomed && now - lastHeardAt > heartbeatIntervalMs * liveness;
  }

  long silentFor(long now) {
    return now - lastHeardAt;
  }

  boolean heartbeatDue(long now) {
    return welcomed && now - lastSentAt >= heartbeatIntervalMs;
  }

  /** The next moment this session has something to do without a message or a wake-up. */
  long nextDeadline(long now, int liveness) {
    if (welcomed) {
      return Math.min(lastSentAt + heartbeatIntervalMs, lastHeardAt + heartbeatIntervalMs * liveness + 1);
    }
    return nextHelloAt;
  }

  boolean goodbyeSent() {
    return goodbyeSent;
  }

  void goodbyeSent(boolean sent) {
    goodbyeSent = sent;
  }

  boolean goodbyeAcknowledged() {
    return goodbyeAcknowledged;
  }

  void goodbyeAcknowledged(boolean acknowledged) {
    goodbyeAcknowledged = acknowledged;
  }

  /** Whether {@code endpoints} names this session's endpoint. */
  boolean connectsTo(List<String> endpoints) {
    return endpoints.contains(endpoint());
  }

  @Override
  public String toString() {
    return "session " + id + " (" + endpoint() + (orchestratorId == null ? "" : ", orchestrator " + orchestratorId) + ")";
  }
}
