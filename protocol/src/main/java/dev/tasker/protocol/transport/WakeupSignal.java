package dev.tasker.protocol.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Wakes a thread that owns a ZeroMQ socket and blocks in {@code ZMQ.Poller#poll}. Other threads put
 * work on a queue and call {@link #wake()}; the owner registers {@link #socket()} with its poller
 * and calls {@link #clear()} before draining the queue. Because ZeroMQ sockets are not thread-safe,
 * this is how other threads talk to the socket's owner without touching the socket.
 *
 * <p>The signal is a pair of {@code inproc://} PAIR sockets, not an NIO pipe: JeroMQ's poller
 * reports a registered NIO channel as readable again on every poll once one of its ZeroMQ sockets
 * has had traffic (it reads each channel's stale ready set), so a pipe turned the owner's poll into
 * a busy loop that took CPU from everything else on the machine. ZeroMQ sockets in the poller are
 * checked by their own events and have no such fault.
 *
 * <p>At most one message is in flight: repeated wakes before the owner clears cost one atomic
 * read. Thread-safe.
 */
public final class WakeupSignal implements AutoCloseable {

  private static final AtomicLong NEXT = new AtomicLong();
  private static final byte[] ONE = {1};

  private final ZContext context;
  private final ZMQ.Socket receiver;
  private final ZMQ.Socket sender;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Object sending = new Object();
  private boolean closed;

  /** Creates the pair of sockets in {@code context}, which must outlive this signal. */
  public WakeupSignal(ZContext context) {
    this.context = context;
    String endpoint = "inproc://tasker-wakeup-" + NEXT.incrementAndGet();
    receiver = context.createSocket(SocketType.PAIR);
    receiver.setLinger(0);
    receiver.bind(endpoint);
    sender = context.createSocket(SocketType.PAIR);
    sender.setLinger(0);
    sender.connect(endpoint);
  }

  /** The socket to register for reading with the owner's poller. Owner thread only. */
  public ZMQ.Socket socket() {
    return receiver;
  }

  /**
   * Makes the owner's poll return soon. Callable from any thread. Does nothing once the signal is
   * closed: the owner has stopped, so there is nobody to wake (a thread that asks the owner to
   * stop can lose that race, and must not fail for it).
   */
  public void wake() {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    synchronized (sending) {
      if (closed) {
        return;
      }
      // JeroMQ signals the receiver through an NIO channel, and writing to one from an
      // interrupted thread closes it for everyone; the interrupt is kept for the caller, not spent
      // on the signal.
      boolean interrupted = Thread.interrupted();
      try {
        // A full queue means a wake-up is already waiting for the owner.
        sender.send(ONE, ZMQ.DONTWAIT);
      } catch (ZMQException e) {
        if (e.getErrorCode() != ZMQ.Error.ETERM.getCode()) {
          pending.set(false);
          throw e;
        }
        // The context is closing: the owner is stopping too.
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Consumes pending wake-ups. Call from the owner thread before draining its queue. */
  public void clear() {
    while (receiver.recv(ZMQ.DONTWAIT) != null) {
      // drained
    }
    // Only now: reset first, and a wake that came in between would have its message drained here
    // and leave the flag set with nothing to read, so that every later wake was skipped.
    pending.set(false);
  }

  /** Closes both sockets. Call from the owner thread once it no longer polls. */
  @Override
  public void close() {
    synchronized (sending) {
      if (closed) {
        return;
      }
      closed = true;
      context.destroySocket(sender);
    }
    context.destroySocket(receiver);
  }
}
