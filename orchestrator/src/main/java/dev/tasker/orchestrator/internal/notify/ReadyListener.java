package dev.tasker.orchestrator.internal.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the PostgreSQL channel {@value #CHANNEL}, which task creation notifies on commit (as
 * do other orchestrators that leave ready steps for lack of credit, see {@link PeerNotifier}), and
 * wakes the dispatcher. This is how a task created by another process ({@code tasker submit}) is
 * dispatched at once. It holds one connection of the pool; it reconnects when the connection
 * breaks. One thread.
 */
public final class ReadyListener implements Runnable {

  /** The notification channel. */
  public static final String CHANNEL = "tasker_steps_ready";

  private static final Logger log = LoggerFactory.getLogger(ReadyListener.class);
  private static final int WAIT_MS = 500;

  private final DataSource dataSource;
  private final String orchestratorId;
  private final Runnable wakeDispatcher;
  private final CountDownLatch listening = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopRequested;

  /**
   * @param orchestratorId this orchestrator's id: its own {@link PeerNotifier}'s notifications
   *     (payload: the id) do not wake it
   */
  public ReadyListener(DataSource dataSource, String orchestratorId, Runnable wakeDispatcher) {
    this.dataSource = dataSource;
    this.orchestratorId = orchestratorId;
    this.wakeDispatcher = wakeDispatcher;
  }

  /** Asks the loop to stop within about half a second. */
  public void requestStop() {
    stopRequested = true;
  }

  /** Waits until the first LISTEN succeeded. */
  public boolean awaitListening(long timeoutMillis) throws InterruptedException {
    return listening.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Waits for the loop to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private boolean fromOthers(PGNotification[] notifications) {
    for (PGNotification notification : notifications) {
      if (!orchestratorId.equals(notification.getParameter())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void run() {
    long pauseMs = 100;
    try {
      while (!stopRequested) {
        try (Connection connection = dataSource.getConnection()) {
          connection.setAutoCommit(true);
          try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
          }
          listening.countDown();
          // Anything created while not listening is found by this first round.
          wakeDispatcher.run();
          pauseMs = 100;
          PGConnection postgres = connection.unwrap(PGConnection.class);
          while (!stopRequested) {
            PGNotification[] notifications = postgres.getNotifications(WAIT_MS);
            if (notifications != null && fromOthers(notifications)) {
              wakeDispatcher.run();
            }
          }
        } catch (SQLException e) {
          if (!stopRequested) {
            log.warn("listening for new tasks failed ({}); reconnecting in {} ms", e.getMessage(), pauseMs);
            Thread.sleep(pauseMs);
            pauseMs = Math.min(pauseMs * 2, 5000);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }
}
