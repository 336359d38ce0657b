package dev.tasker.protocol.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a thread that owns a ZeroMQ socket and blocks in {@code ZMQ.Poller#poll}. Other threads put
 * work on a queue and call {@link #wake()}; the owner registers {@link #channel()} with its poller
 * and calls {@link #clear()} before draining the queue. Because ZeroMQ sockets are not thread-safe,
 * this is how other threads talk to the socket's owner without touching the socket.
 *
 * <p>At most one byte is in flight: repeated wakes before the owner clears cost one atomic read.
 * Thread-safe.
 */
public final class WakeupSignal implements AutoCloseable {

  private final Pipe pipe;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ByteBuffer one = ByteBuffer.allocateDirect(1);
  private final ByteBuffer sink = ByteBuffer.allocateDirect(64);

  /** Opens the underlying pipe. */
  public WakeupSignal() {
    try {
      pipe = Pipe.open();
      pipe.source().configureBlocking(false);
      pipe.sink().configureBlocking(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open wake-up pipe", e);
    }
  }

  /** The channel to register for reading with the owner's poller. */
  public SelectableChannel channel() {
    return pipe.source();
  }

  /**
   * Makes the owner's poll return soon. Callable from any thread. Does nothing once the signal is
   * closed: the owner has stopped, so there is nobody to wake (a thread that asks the owner to
   * stop can lose that race, and must not fail for it).
   */
  public void wake() {
    if (pending.compareAndSet(false, true)) {
      synchronized (one) {
        one.clear();
        one.put((byte) 1).flip();
        // Writing to an NIO channel from an interrupted thread closes the channel for everyone;
        // the interrupt is kept for the caller, not spent on the pipe.
        boolean interrupted = Thread.interrupted();
        try {
          pipe.sink().write(one);
        } catch (ClosedChannelException e) {
          // Closed by the owner: see above.
        } catch (IOException e) {
          pending.set(false);
          throw new UncheckedIOException("cannot write wake-up pipe", e);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  /** Consumes pending wake-ups. Call from the owner thread before draining its queue. */
  public void clear() {
    pending.set(false);
    try {
      int read;
      do {
        sink.clear();
        read = pipe.source().read(sink);
      } while (read > 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wake-up pipe", e);
    }
  }

  @Override
  public void close() {
    try {
      pipe.sink().close();
      pipe.source().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
