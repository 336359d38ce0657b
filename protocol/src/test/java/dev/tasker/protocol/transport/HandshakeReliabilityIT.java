package dev.tasker.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Guards the JeroMQ version: JeroMQ 0.6.0 left about 1 in 60 fresh loopback connections stuck in
 * the ZMTP handshake (docs/decisions/0002-jeromq-0.5.4.md). Every connection here must deliver its
 * first message.
 */
class HandshakeReliabilityIT {

  private static final int CONNECTIONS = 200;

  @Test
  void every_fresh_dealer_connection_delivers_its_first_message_to_the_router() {
    int delivered = 0;
    for (int i = 0; i < CONNECTIONS; i++) {
      try (ZContext server = new ZContext();
          ZContext client = new ZContext()) {
        ZMQ.Socket router = server.createSocket(SocketType.ROUTER);
        router.setReceiveTimeOut(50);
        int port = router.bindToRandomPort("tcp://127.0.0.1");
        ZMQ.Socket dealer = client.createSocket(SocketType.DEALER);
        dealer.setImmediate(true);
        dealer.connect("tcp://127.0.0.1:" + port);
        long deadline = System.nanoTime() + 3_000_000_000L;
        List<byte[]> received = null;
        while (received == null && System.nanoTime() < deadline) {
          MultipartSocket.send(dealer, null, Frames.encode(new Credit(i)));
          if (router.recv() != null) {
            received = List.of();
          }
        }
        if (received != null) {
          delivered++;
        }
      }
    }
    assertThat(delivered).isEqualTo(CONNECTIONS);
  }
}
