package dev.tasker.worker.internal;

import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker's DEALER socket and the poller that watches it together with the loop's wake-up
 * signal. It can be replaced by a fresh socket (and TCP connection) at any time. Used by the socket
 * thread only.
 */
final class DealerConnection implements AutoCloseable {

  private static final int HIGH_WATER_MARK = 100_000;

  private final ZContext context;
  private final String endpoint;
  private final byte[] identity;
  private final WakeupSignal wakeup;
  private final CurveClientKeys curve;
  private ZMQ.Socket socket;
  private ZMQ.Poller poller;
  private int socketIndex;
  private int wakeupIndex;

  /** @param curve CURVE keys to connect with, or {@code null} for none */
  DealerConnection(ZContext context, String endpoint, String workerId, CurveClientKeys curve, WakeupSignal wakeup) {
    this.context = context;
    this.endpoint = endpoint;
    byte[] bytes = workerId.getBytes(StandardCharsets.UTF_8);
    // ZeroMQ reserves identities starting with a zero byte and allows at most 255 bytes.
    this.identity = bytes.length <= 255 && bytes[0] != 0 ? bytes : null;
    this.wakeup = wakeup;
    this.curve = curve;
  }

  /** Opens a socket and connects it. */
  void open() {
    socket = context.createSocket(SocketType.DEALER);
    if (identity != null) {
      socket.setIdentity(identity);
    }
    // Nothing is queued for a connection that is not up: HELLO is re-sent instead, and results
    // wait in the outbox until the orchestrator has welcomed this worker.
    socket.setImmediate(true);
    socket.setLinger(0);
    socket.setSndHWM(HIGH_WATER_MARK);
    socket.setRcvHWM(HIGH_WATER_MARK);
    socket.setReconnectIVL(100);
    socket.setReconnectIVLMax(5000);
    if (curve != null) {
      curve.applyTo(socket);
    }
    socket.connect(endpoint);
    poller = context.createPoller(2);
    socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
    wakeupIndex = poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
  }

  /** Replaces the socket with a new one. */
  void reopen() {
    close();
    open();
  }

  /** Waits up to {@code timeoutMillis} for a message or a wake-up. */
  void poll(long timeoutMillis) {
    poller.poll(timeoutMillis);
  }

  /** Whether the last poll saw a wake-up. */
  boolean woken() {
    return poller.pollin(wakeupIndex);
  }

  /** Whether the last poll saw a message. */
  boolean readable() {
    return poller.pollin(socketIndex);
  }

  /** The next whole message, or {@code null}. */
  List<byte[]> receive() {
    return MultipartSocket.receive(socket);
  }

  /** Sends without blocking; {@code false} when the socket cannot take it now. */
  boolean send(List<byte[]> frames) {
    return MultipartSocket.send(socket, null, frames);
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.close();
      poller = null;
    }
    if (socket != null) {
      context.destroySocket(socket);
      socket = null;
    }
  }
}
