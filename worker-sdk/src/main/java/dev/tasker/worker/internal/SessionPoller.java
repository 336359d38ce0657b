package dev.tasker.worker.internal;

import dev.tasker.protocol.transport.WakeupSignal;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * One poller over the loop's wake-up signal and the DEALER socket of every session, so that one
 * thread serves every orchestrator. It is rebuilt when a session is added or removed or replaces
 * its socket. Used by the socket thread only.
 */
final class SessionPoller implements AutoCloseable {

  private final ZContext context;
  private final WakeupSignal wakeup;
  private ZMQ.Poller poller;
  private int wakeupIndex;
  private final List<OrchestratorSession> polled = new ArrayList<>();
  private final List<Integer> indexes = new ArrayList<>();
  private final List<Integer> generations = new ArrayList<>();

  SessionPoller(ZContext context, WakeupSignal wakeup) {
    this.context = context;
    this.wakeup = wakeup;
  }

  /**
   * Waits up to {@code timeoutMillis} for a message on any session or a wake-up.
   *
   * @return the sessions with a message to read
   */
  List<OrchestratorSession> poll(List<OrchestratorSession> sessions, long timeoutMillis) {
    if (poller == null || stale(sessions)) {
      rebuild(sessions);
    }
    poller.poll(timeoutMillis);
    List<OrchestratorSession> readable = new ArrayList<>();
    for (int i = 0; i < polled.size(); i++) {
      if (poller.pollin(indexes.get(i))) {
        readable.add(polled.get(i));
      }
    }
    return readable;
  }

  /** Whether the last poll saw a wake-up. */
  boolean woken() {
    return poller != null && poller.pollin(wakeupIndex);
  }

  private boolean stale(List<OrchestratorSession> sessions) {
    if (sessions.size() != polled.size()) {
      return true;
    }
    for (int i = 0; i < sessions.size(); i++) {
      if (sessions.get(i) != polled.get(i) || sessions.get(i).connection().generation() != generations.get(i)) {
        return true;
      }
    }
    return false;
  }

  private void rebuild(List<OrchestratorSession> sessions) {
    close();
    poller = context.createPoller(sessions.size() + 1);
    wakeupIndex = poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    for (OrchestratorSession session : sessions) {
      polled.add(session);
      indexes.add(poller.register(session.connection().socket(), ZMQ.Poller.POLLIN));
      generations.add(session.connection().generation());
    }
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.close();
      poller = null;
    }
    polled.clear();
    indexes.clear();
    generations.clear();
  }
}
