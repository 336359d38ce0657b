package dev.tasker.protocol.transport;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * Non-blocking multipart send and receive on a JeroMQ socket. Use only from the thread that owns
 * the socket.
 */
public final class MultipartSocket {

  private MultipartSocket() {}

  /**
   * Receives one whole multipart message if one is waiting.
   *
   * @return the frames, or {@code null} when nothing is waiting
   */
  public static List<byte[]> receive(ZMQ.Socket socket) {
    byte[] first = socket.recv(ZMQ.DONTWAIT);
    if (first == null) {
      return null;
    }
    List<byte[]> frames = new ArrayList<>(4);
    frames.add(first);
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv(0));
    }
    return frames;
  }

  /**
   * Sends {@code prefix} (for example a ROUTER's routing identity, or nothing) followed by {@code
   * frames} as one multipart message, without blocking.
   *
   * @return {@code false} when the socket cannot take the message now (high-water mark reached, or
   *     no connected peer with {@code ZMQ_IMMEDIATE}); nothing was sent in that case
   * @throws org.zeromq.ZMQException when a ROUTER with ROUTER_MANDATORY has no such peer
   */
  public static boolean send(ZMQ.Socket socket, byte[] prefix, List<byte[]> frames) {
    int last = frames.size() - 1;
    if (prefix != null && !socket.send(prefix, ZMQ.SNDMORE | ZMQ.DONTWAIT)) {
      return false;
    }
    boolean firstFrameSent = prefix != null;
    for (int i = 0; i <= last; i++) {
      // Once the first frame is accepted, ZeroMQ accepts the rest of the message atomically.
      int flags = (i < last ? ZMQ.SNDMORE : 0) | (firstFrameSent ? 0 : ZMQ.DONTWAIT);
      if (!socket.send(frames.get(i), flags)) {
        return false;
      }
      firstFrameSent = true;
    }
    return true;
  }
}
