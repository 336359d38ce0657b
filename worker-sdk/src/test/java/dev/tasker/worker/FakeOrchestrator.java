package dev.tasker.worker;

import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.transport.MultipartSocket;
import java.time.Duration;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A ROUTER socket on a free loopback port, driven by the test thread, that plays orchestrator. */
final class FakeOrchestrator implements AutoCloseable {

  record Received(byte[] identity, Message message) {}

  private final ZContext context = new ZContext();
  private final ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
  private final int port;
  private MessageCodec codec = JsonCodec.instance();

  FakeOrchestrator() {
    router.setRouterMandatory(true);
    router.setLinger(0);
    port = router.bindToRandomPort("tcp://127.0.0.1");
  }

  /** Speaks {@code encoding} from now on, as after a WELCOME naming it; JSON until then. */
  void useEncoding(String encoding) {
    codec = Encodings.codec(encoding);
  }

  String endpoint() {
    return "tcp://127.0.0.1:" + port;
  }

  /** The next message, or a failure after {@code timeout}. */
  Received receive(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ZMQ.Poller poller = context.createPoller(1);
    poller.register(router, ZMQ.Poller.POLLIN);
    try {
      while (System.nanoTime() < deadline) {
        poller.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        List<byte[]> frames = MultipartSocket.receive(router);
        if (frames != null) {
          return new Received(frames.get(0), Frames.decode(frames.subList(1, frames.size()), codec));
        }
      }
      throw new AssertionError("no message within " + timeout);
    } finally {
      poller.close();
    }
  }

  /** The next message of {@code type}, skipping heartbeats and repeated HELLOs. */
  <T extends Message> T receive(Class<T> type, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Received received = receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.isInstance(received.message())) {
        return type.cast(received.message());
      }
      boolean noise =
          received.message() instanceof dev.tasker.protocol.Heartbeat
              || received.message() instanceof dev.tasker.protocol.Hello;
      if (!noise) {
        throw new AssertionError("expected " + type.getSimpleName() + " but got " + received.message());
      }
    }
  }

  void send(byte[] identity, Message message) {
    send(identity, Frames.encode(message, codec));
  }

  void send(byte[] identity, List<byte[]> frames) {
    if (!MultipartSocket.send(router, identity, frames)) {
      throw new AssertionError("could not send " + frames.size() + " frames");
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
