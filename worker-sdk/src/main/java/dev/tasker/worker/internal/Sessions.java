package dev.tasker.worker.internal;

import dev.tasker.protocol.Credit;
import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.protocol.Welcome;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;

/**
 * A worker's sessions, one per orchestrator, in order of creation: the endpoints it was given, then
 * the orchestrators WELCOMEs named (discovery). Shares the worker's credit among the welcomed ones
 * ({@link CreditSplit}), finds orchestrators it has no session with, and spots two sessions that
 * reached the same orchestrator by different endpoints. Used by the socket thread only.
 */
final class Sessions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sessions.class);

  private final ZContext context;
  private final String workerId;
  private final long helloRetryMaxMs;
  private final CurveClientKeys curve;
  private final List<OrchestratorSession> sessions = new ArrayList<>();
  private int nextId = 1;

  /** @param curve CURVE keys every session connects with, or {@code null} for none */
  Sessions(ZContext context, String workerId, long helloRetryMaxMs, CurveClientKeys curve) {
    this.context = context;
    this.workerId = workerId;
    this.helloRetryMaxMs = helloRetryMaxMs;
    this.curve = curve;
  }

  /** Opens a session to {@code endpoint}; it says HELLO when the loop finds it due. */
  OrchestratorSession open(String endpoint, long now) {
    DealerConnection connection = new DealerConnection(context, endpoint, workerId, curve);
    connection.open();
    OrchestratorSession session = new OrchestratorSession(nextId++, connection, helloRetryMaxMs, now);
    sessions.add(session);
    return session;
  }

  /** Every session, oldest first. */
  List<OrchestratorSession> all() {
    return sessions;
  }

  /** The welcomed sessions, oldest first. */
  List<OrchestratorSession> welcomed() {
    return sessions.stream().filter(OrchestratorSession::welcomed).toList();
  }

  /** The next moment a session has something to do, or {@code latest}, whichever comes first. */
  long nextDeadline(long latest, long now, int liveness) {
    long next = latest;
    for (OrchestratorSession session : sessions) {
      next = Math.min(next, session.nextDeadline(now, liveness));
    }
    return next;
  }

  /** The oldest welcomed session other than {@code except}, or {@code null}. */
  OrchestratorSession anotherWelcomed(OrchestratorSession except) {
    return sessions.stream().filter(s -> s != except && s.welcomed()).findFirst().orElse(null);
  }

  /**
   * Another session that has reached the orchestrator {@code session} was just welcomed by (the
   * same orchestrator by another endpoint: {@code localhost} and {@code 127.0.0.1}, say), or
   * {@code null}.
   */
  OrchestratorSession sameOrchestrator(OrchestratorSession session) {
    return sessions.stream()
        .filter(s -> s != session && session.orchestratorId().equals(s.orchestratorId()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Opens a session to each orchestrator {@code welcome} names that no session has reached and
   * whose endpoints no session connects to.
   *
   * @return the new sessions
   */
  List<OrchestratorSession> discover(Welcome welcome, long now) {
    List<OrchestratorSession> opened = new ArrayList<>();
    for (Welcome.OrchestratorEndpoints orchestrator : welcome.orchestrators()) {
      boolean known = sessions.stream().anyMatch(s ->
          orchestrator.orchestratorId().equals(s.orchestratorId()) || s.connectsTo(orchestrator.endpoints()));
      if (known || orchestrator.endpoints().isEmpty()) {
        continue;
      }
      // One endpoint per orchestrator: a DEALER connected to several would spread messages over them.
      String endpoint = orchestrator.endpoints().stream()
          .filter(e -> e.startsWith("tcp://"))
          .findFirst()
          .orElse(orchestrator.endpoints().get(0));
      log.info("worker {} opens a session with orchestrator {} at {}", workerId, orchestrator.orchestratorId(), endpoint);
      opened.add(open(endpoint, now));
    }
    return opened;
  }

  /**
   * Gives each welcomed session its share of {@code total} with CREDIT messages, lowered ones
   * first, so that the credit granted to all orchestrators together never grows past {@code total}.
   */
  void rebalance(int total, long now) {
    List<OrchestratorSession> welcomed = welcomed();
    List<Integer> current = welcomed.stream().map(OrchestratorSession::credit).toList();
    for (CreditSplit.Change change : CreditSplit.changes(current, CreditSplit.shares(total, welcomed.size()))) {
      OrchestratorSession session = welcomed.get(change.index());
      session.credit(change.credit());
      if (!session.send(new Credit(change.credit()), now)) {
        log.debug("worker {} could not send CREDIT {} on {} now", workerId, change.credit(), session);
      }
    }
  }

  /** Closes one session and forgets it. */
  void close(OrchestratorSession session) {
    log.info("worker {} closes {}", workerId, session);
    session.connection().close();
    sessions.remove(session);
  }

  @Override
  public void close() {
    sessions.forEach(session -> session.connection().close());
    sessions.clear();
  }
}
