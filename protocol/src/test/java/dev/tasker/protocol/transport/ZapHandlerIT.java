package dev.tasker.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A CURVE ROUTER with a {@link ZapHandler}, and DEALERs over real TCP with and without listed keys. */
class ZapHandlerIT {

  private final CurveKeyPair server = CurveKeys.generate();
  private final CurveKeyPair listed = CurveKeys.generate();
  private final CurveKeyPair unlisted = CurveKeys.generate();
  private final ZContext serverContext = new ZContext();
  private final ZContext clientContext = new ZContext();
  private ZapHandler zap;
  private Thread zapThread;
  private ZMQ.Socket router;
  private String endpoint;

  @BeforeEach
  void startServer() {
    zap = new ZapHandler(serverContext, Set.of(listed.publicKey()), "the test's list");
    zapThread = new Thread(zap, "zap");
    zapThread.start();
    router = serverContext.createSocket(SocketType.ROUTER);
    router.setCurveServer(true);
    router.setCurveSecretKey(CurveKeys.decode("server secret key", server.secretKey()));
    router.setZAPDomain(ZapHandler.DOMAIN);
    router.setReceiveTimeOut(20);
    endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
  }

  @AfterEach
  void stop() throws InterruptedException {
    serverContext.destroySocket(router);
    zap.requestStop();
    assertThat(zap.awaitStopped(5000)).isTrue();
    clientContext.close();
    serverContext.close();
  }

  @Test
  void a_listed_key_gets_through_and_an_unlisted_key_is_refused_in_the_handshake() {
    ZMQ.Socket stranger = dealer(unlisted, "stranger");
    ZMQ.Socket friend = dealer(listed, "friend");
    awaitTrue(() -> zap.refused() >= 1 && zap.accepted() >= 1);
    String heard = exchangeUntilHeard(List.of(stranger, friend), "friend");
    assertThat(heard).isEqualTo("friend");
    // The stranger kept sending all along; nothing of it reached the router.
    for (int i = 0; i < 20; i++) {
      stranger.send("stranger", ZMQ.DONTWAIT);
      assertThat(receivedText()).isNotEqualTo("stranger");
    }
  }

  @Test
  void a_plain_dealer_never_reaches_a_curve_router() {
    ZMQ.Socket plain = clientContext.createSocket(SocketType.DEALER);
    plain.setImmediate(false);
    plain.connect(endpoint);
    ZMQ.Socket friend = dealer(listed, "friend");
    assertThat(exchangeUntilHeard(List.of(plain, friend), "friend")).isEqualTo("friend");
    for (int i = 0; i < 20; i++) {
      plain.send("plain", ZMQ.DONTWAIT);
      assertThat(receivedText()).isNotEqualTo("plain");
    }
  }

  @Test
  void a_key_authorized_later_gets_through_on_its_next_handshake() {
    ZMQ.Socket stranger = dealer(unlisted, "stranger");
    awaitTrue(() -> zap.refused() >= 1);
    zap.authorize(Set.of(listed.publicKey(), unlisted.publicKey()));
    assertThat(zap.authorizedCount()).isEqualTo(2);
    // A refused JeroMQ connection does not try again by itself: a new socket makes a new handshake.
    clientContext.destroySocket(stranger);
    assertThat(exchangeUntilHeard(List.of(dealer(unlisted, "stranger")), "stranger")).isEqualTo("stranger");
  }

  private ZMQ.Socket dealer(CurveKeyPair own, String name) {
    ZMQ.Socket dealer = clientContext.createSocket(SocketType.DEALER);
    dealer.setCurveServerKey(CurveKeys.decode("server public key", server.publicKey()));
    dealer.setCurvePublicKey(CurveKeys.decode("public key", own.publicKey()));
    dealer.setCurveSecretKey(CurveKeys.decode("secret key", own.secretKey()));
    dealer.setIdentity(name.getBytes(StandardCharsets.UTF_8));
    dealer.setReconnectIVL(50);
    dealer.setLinger(0);
    dealer.connect(endpoint);
    return dealer;
  }

  /** Each dealer says its name until the router hears {@code expected}; returns what it heard. */
  private String exchangeUntilHeard(List<ZMQ.Socket> dealers, String expected) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (ZMQ.Socket dealer : dealers) {
        dealer.send(new String(dealer.getIdentity(), StandardCharsets.UTF_8), ZMQ.DONTWAIT);
      }
      String text = receivedText();
      if (text != null) {
        assertThat(text).isEqualTo(expected);
        return text;
      }
    }
    return null;
  }

  private String receivedText() {
    // Waits up to the router's receive timeout: an identity frame, then the text.
    byte[] identity = router.recv();
    return identity == null ? null : router.recvStr();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(10_000_000);
    }
  }
}
