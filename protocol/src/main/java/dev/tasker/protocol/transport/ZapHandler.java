package dev.tasker.protocol.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZeroMQ Authentication Protocol handler (ZAP, RFC 27) for a CURVE server socket: it answers
 * the server's request for each connecting peer, accepting only public keys in the authorized set.
 * A peer that is refused never completes the handshake, so nothing it sends reaches the server
 * socket.
 *
 * <p>Its REP socket is bound to {@value #ENDPOINT} in the server socket's {@link ZContext} by the
 * constructor, which must run <em>before</em> the server socket binds: JeroMQ lets every peer in
 * when no ZAP handler is bound in the context. The handler then runs on its own thread ({@link
 * #run()}), which owns the socket. Only one can exist per context.
 *
 * <p>A refusal is logged with the peer's address, never its key, through a {@link RefusalLog}. {@link #authorize} (any thread) replaces the authorized set.
 */
public final class ZapHandler implements Runnable {

  /** Where ZeroMQ looks for the ZAP handler, in the server socket's context. */
  public static final String ENDPOINT = "inproc://zeromq.zap.01";

  /** The ZAP domain Tasker's server sockets set; JeroMQ asks the handler only when one is set. */
  public static final String DOMAIN = "tasker";

  private static final long POLL_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(ZapHandler.class);

  private final ZContext context;
  private final ZMQ.Socket socket;
  private final WakeupSignal wakeup;
  private final String authorizedBy;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final RefusalLog refusals = new RefusalLog(log, "connection");
  private volatile Set<String> authorized;
  private volatile boolean stopRequested;

  /**
   * Binds the handler's socket. Call before the server socket binds, then start a thread on this.
   *
   * @param authorizedKeys Z85 public keys to accept
   * @param authorizedBy what lists the keys, for log lines ({@code "curve_authorized_keys_file"})
   */
  public ZapHandler(ZContext context, Set<String> authorizedKeys, String authorizedBy) {
    this.context = context;
    this.authorized = Set.copyOf(authorizedKeys);
    this.authorizedBy = authorizedBy;
    this.wakeup = new WakeupSignal(context);
    socket = context.createSocket(SocketType.REP);
    socket.setLinger(0);
    socket.bind(ENDPOINT);
  }

  /** Replaces the authorized keys; connections already made stay. Any thread. */
  public void authorize(Set<String> authorizedKeys) {
    authorized = Set.copyOf(authorizedKeys);
  }

  /** How many keys are authorized now. */
  public int authorizedCount() {
    return authorized.size();
  }

  /** Handshakes accepted so far. */
  public long accepted() {
    return accepted.get();
  }

  /** Handshakes refused so far. */
  public long refused() {
    return refused.get();
  }

  /** Asks the thread to stop. Stop it after the server socket is closed. Any thread. */
  public void requestStop() {
    stopRequested = true;
    wakeup.wake();
  }

  /** Waits for the thread to end. */
  public boolean awaitStopped(long timeoutMillis) throws InterruptedException {
    return stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void run() {
    ZMQ.Poller poller = context.createPoller(2);
    int socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
    int wakeupIndex = poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    try {
      while (!stopRequested) {
        // A handler that dies leaves the server waiting on every new handshake: carry on.
        try {
          poller.poll(POLL_MS);
          if (poller.pollin(wakeupIndex)) {
            wakeup.clear();
          }
          if (poller.pollin(socketIndex)) {
            answer();
          }
        } catch (RuntimeException e) {
          log.error("ZAP handler pass failed; carrying on", e);
        }
      }
    } finally {
      poller.close();
      context.destroySocket(socket);
      wakeup.close();
      stopped.countDown();
    }
  }

  private void answer() {
    List<byte[]> request = MultipartSocket.receive(socket);
    if (request == null) {
      return;
    }
    // version, request id, domain, address, routing id, mechanism, credentials...
    byte[] version = request.get(0);
    byte[] requestId = request.size() > 1 ? request.get(1) : new byte[0];
    String address = request.size() > 3 ? new String(request.get(3), StandardCharsets.UTF_8) : "?";
    String mechanism = request.size() > 5 ? new String(request.get(5), StandardCharsets.UTF_8) : "";
    boolean ok = request.size() >= 7
        && "1.0".equals(new String(version, StandardCharsets.UTF_8))
        && "CURVE".equals(mechanism)
        && request.get(6).length == CurveKeys.KEY_BYTES
        && authorized.contains(CurveKeys.encode(request.get(6)));
    if (ok) {
      accepted.incrementAndGet();
      reply(version, requestId, "200", "OK", "worker");
    } else {
      refused.incrementAndGet();
      logRefusal(address, "CURVE".equals(mechanism)
          ? "its CURVE public key is not in " + authorizedBy
          : "mechanism " + mechanism + " is not CURVE");
      reply(version, requestId, "400", "not authorized", "");
    }
  }

  private void reply(byte[] version, byte[] requestId, String code, String text, String userId) {
    socket.send(version, ZMQ.SNDMORE);
    socket.send(requestId, ZMQ.SNDMORE);
    socket.send(code, ZMQ.SNDMORE);
    socket.send(text, ZMQ.SNDMORE);
    socket.send(userId, ZMQ.SNDMORE);
    socket.send(new byte[0], 0);
  }

  private void logRefusal(String address, String reason) {
    refusals.refused(address, reason, System.nanoTime() / 1_000_000);
  }

}
