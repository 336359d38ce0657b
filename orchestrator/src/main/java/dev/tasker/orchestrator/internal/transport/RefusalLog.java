package dev.tasker.orchestrator.internal.transport;

import org.slf4j.Logger;

/**
 * Logs refused messages without letting a flood of bad messages flood the log: at most {@value
 * #BURST} lines per {@value #WINDOW_MS} ms, then one line saying how many were not logged. Used by
 * the transport thread only.
 */
final class RefusalLog {

  static final int BURST = 20;
  static final long WINDOW_MS = 10_000;

  private final Logger log;
  private long windowStart;
  private int logged;
  private int suppressed;

  RefusalLog(Logger log) {
    this.log = log;
  }

  void refused(String peer, String reason, long nowMillis) {
    if (nowMillis - windowStart >= WINDOW_MS) {
      if (suppressed > 0) {
        log.warn("{} more refused messages were not logged in the last {} s", suppressed, WINDOW_MS / 1000);
      }
      windowStart = nowMillis;
      logged = 0;
      suppressed = 0;
    }
    if (logged < BURST) {
      logged++;
      log.warn("refused a message from {}: {}", peer, reason);
    } else {
      suppressed++;
    }
  }
}
