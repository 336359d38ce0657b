package dev.tasker.orchestrator.internal.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the dispatcher: work may be ready (a task was created, a step completed, a retry came due)
 * or capacity was freed (a worker registered, a result arrived). Wakes coalesce. Thread-safe.
 */
public final class DispatchSignal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean pending;

  /** Wakes the dispatcher. Any thread. */
  public void wake() {
    lock.lock();
    try {
      pending = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for a wake or for {@code timeoutNanos}, and consumes the wake.
   *
   * @return whether a wake came
   */
  public boolean await(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = timeoutNanos;
      while (!pending && remaining > 0) {
        remaining = changed.awaitNanos(remaining);
      }
      boolean woken = pending;
      pending = false;
      return woken;
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #await(long)} in milliseconds. */
  public boolean awaitMillis(long timeoutMillis) throws InterruptedException {
    return await(TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
  }
}
