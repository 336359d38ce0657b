package dev.tasker.worker.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs handler invocations with at most {@code concurrency} at once: on a virtual thread per
 * invocation when the JVM offers them (Java 21+) and they are preferred, otherwise on a fixed pool
 * of {@code concurrency} platform threads. Thread-safe.
 */
public final class HandlerExecutor {

  private final ExecutorService executor;
  private final Semaphore permits;
  private final boolean virtualThreads;

  private HandlerExecutor(ExecutorService executor, int concurrency, boolean virtualThreads) {
    this.executor = executor;
    this.permits = new Semaphore(concurrency);
    this.virtualThreads = virtualThreads;
  }

  /**
   * @param concurrency most invocations at once, at least 1
   * @param preferVirtualThreads use virtual threads when the running JVM has them
   * @param threadNamePrefix prefix of platform thread names
   */
  public static HandlerExecutor create(
      int concurrency, boolean preferVirtualThreads, String threadNamePrefix) {
    if (preferVirtualThreads) {
      ExecutorService virtual = virtualThreadExecutor();
      if (virtual != null) {
        return new HandlerExecutor(virtual, concurrency, true);
      }
    }
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, threadNamePrefix + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return new HandlerExecutor(Executors.newFixedThreadPool(concurrency, factory), concurrency, false);
  }

  /** Whether invocations run on virtual threads. */
  public boolean usesVirtualThreads() {
    return virtualThreads;
  }

  /** Runs {@code task} once a permit is free. */
  public void submit(Runnable task) {
    executor.execute(
        () -> {
          try {
            permits.acquire();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          try {
            task.run();
          } finally {
            permits.release();
          }
        });
  }

  /**
   * Stops taking work and waits for running invocations.
   *
   * @return whether all invocations ended within {@code timeoutMillis}
   */
  public boolean shutdown(long timeoutMillis) {
    executor.shutdown();
    try {
      return executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Interrupts running invocations. */
  public void shutdownNow() {
    executor.shutdownNow();
  }

  // Compiled for Java 17, so the Java 21 factory is looked up reflectively.
  private static ExecutorService virtualThreadExecutor() {
    try {
      Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) factory.invoke(null);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
