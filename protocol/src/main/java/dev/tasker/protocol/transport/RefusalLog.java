package dev.tasker.protocol.transport;

import org.slf4j.Logger;

/**
 * Logs refusals (of messages, of connections) without letting a flood of them flood the log: at
 * most {@value #BURST} lines per {@value #WINDOW_MS} ms, then one line saying how many were not
 * logged. Used by one thread.
 */
public final class RefusalLog {

  /** Most lines per window. */
  public static final int BURST = 20;
  /** The window, in milliseconds. */
  public static final long WINDOW_MS = 10_000;

  private final Logger log;
  private final String what;
  private long windowStart;
  private int logged;
  private int suppressed;

  /** @param what what is refused, for the log lines ({@code message}, {@code connection}) */
  public RefusalLog(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Logs (or counts) one refusal of something from {@code peer}, for {@code reason}. */
  public void refused(String peer, String reason, long nowMillis) {
    if (nowMillis - windowStart >= WINDOW_MS) {
      if (suppressed > 0) {
        log.warn("{} more refused {}s were not logged in the last {} s", suppressed, what, WINDOW_MS / 1000);
      }
      windowStart = nowMillis;
      logged = 0;
      suppressed = 0;
    }
    if (logged < BURST) {
      logged++;
      log.warn("refused a {} from {}: {}", what, peer, reason);
    } else {
      suppressed++;
    }
  }
}
