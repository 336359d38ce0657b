package dev.tasker.worker.internal;

import dev.tasker.protocol.transport.CurveClientKeys;
import dev.tasker.protocol.transport.MultipartSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker's DEALER socket to one orchestrator endpoint. It can be replaced by a fresh socket (and
 * TCP connection) at any time; {@link #generation()} tells the loop's poller when it was. Used by
 * the socket thread only.
 */
final class DealerConnection implements AutoCloseable {

  private static final int HIGH_WATER_MARK = 100_000;

  private final ZContext context;
  private final String endpoint;
  private final byte[] identity;
  private final CurveClientKeys curve;
  private ZMQ.Socket socket;
  private int generation;

  /** @param curve CURVE keys to connect with, or {@code null} for none */
  DealerConnection(ZContext context, String endpoint, String workerId, CurveClientKeys curve) {
    this.context = context;
    this.endpoint = endpoint;
    byte[] bytes = workerId.getBytes(StandardCharsets.UTF_8);
    // ZeroMQ reserves identities starting with a zero byte and allows at most 255 bytes.
    this.identity = bytes.length <= 255 && bytes[0] != 0 ? bytes : null;
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
    generation++;
  }

  /** Replaces the socket with a new one. */
  void reopen() {
    close();
    open();
  }

  /** The endpoint this connection connects to. */
  String endpoint() {
    return endpoint;
  }

  /** The current socket, for the loop's poller; {@code null} when closed. */
  ZMQ.Socket socket() {
    return socket;
  }

  /** Counts the sockets opened so far: a poller watching an older one must be rebuilt. */
  int generation() {
    return generation;
  }

  /** The next whole message, or {@code null}. */
  List<byte[]> receive() {
    return socket == null ? null : MultipartSocket.receive(socket);
  }

  /** Sends without blocking; {@code false} when the socket cannot take it now. */
  boolean send(List<byte[]> frames) {
    return socket != null && MultipartSocket.send(socket, null, frames);
  }

  @Override
  public void close() {
    if (socket != null) {
      context.destroySocket(socket);
      socket = null;
    }
  }
}
