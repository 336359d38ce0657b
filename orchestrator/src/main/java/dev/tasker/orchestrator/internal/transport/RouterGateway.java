package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.transport.MultipartSocket;
import dev.tasker.protocol.transport.WakeupSignal;
import dev.tasker.protocol.transport.ZapHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The thread that owns the orchestrator's ROUTER socket: it binds it, polls it, reads what workers
 * send and hands each message to the {@link SessionProtocol} (registration, liveness, credit,
 * results for the applier, refusals), beats the heartbeat, and sends what the protocol and other
 * threads queue with {@link #send} from the {@link OutboundBacklog}. While the applier is behind it
 * stops reading. No other thread touches the socket.
 */
public final class RouterGateway implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(RouterGateway.class);
  private static final long BACKLOG_RETRY_MS = 5;
  private static final long PAUSED_POLL_MS = 1;

  private final TransportSettings settings;
  private final ZContext context;
  private final WorkerRegistry registry;
  private final InboundSink sink;
  private final Clock clock;
  private final WakeupSignal wakeup;
  private final OutboundBacklog outbound;
  private final SessionProtocol protocol;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<String> boundEndpoints = new ArrayList<>();

  private volatile boolean stopRequested;
  private ZMQ.Socket router;
  private ZMQ.Poller pausedPoller;
  private boolean reading = true;
  private long nextBeatAt;

  public RouterGateway(
      TransportSettings settings,
      ZContext context,
      WorkerRegistry registry,
      InboundSink sink,
      Runnable wakeDispatcher,
      Clock clock) {
    this.settings = settings;
    this.context = context;
    this.registry = registry;
    this.sink = sink;
    this.clock = clock;
    this.wakeup = new WakeupSignal(context);
    this.outbound = new OutboundBacklog(registry, sink, wakeup, log);
    this.protocol = new SessionProtocol(settings, registry, sink, wakeDispatcher, clock, outbound, log);
  }

  /**
   * Creates and binds the socket. Call before starting the thread, from the thread that starts it.
   *
   * @return the bound endpoints, with real ports
   */
  public List<String> bind() {
    router = context.createSocket(SocketType.ROUTER);
    router.setRouterMandatory(true);
    // A worker that reconnects with the same identity takes over its old routing entry.
    router.setRouterHandover(true);
    router.setLinger(1000);
    router.setSndHWM(settings.sendHighWaterMark());
    router.setRcvHWM(settings.receiveHighWaterMark());
    router.setMaxMsgSize(settings.maxMessageBytes() + 1024L);
    if (settings.curveServerKeys() != null) {
      // The domain makes JeroMQ ask the ZapHandler, which must be bound in this context already:
      // with none bound, JeroMQ would let every CURVE client in.
      router.setCurveServer(true);
      router.setCurveSecretKey(settings.curveSecretKey());
      router.setZAPDomain(ZapHandler.DOMAIN);
    }
    for (String endpoint : settings.endpoints()) {
      boundEndpoints.add(bindOne(endpoint));
    }
    return List.copyOf(boundEndpoints);
  }

  private String bindOne(String endpoint) {
    if (endpoint.startsWith("tcp://") && (endpoint.endsWith(":0") || endpoint.endsWith(":*"))) {
      String prefix = endpoint.substring(0, endpoint.lastIndexOf(':'));
      int port = router.bindToRandomPort(prefix);
      return prefix + ":" + port;
    }
    router.bind(endpoint);
    return endpoint;
  }

  /** Queues a message to a worker. Any thread. */
  public void send(byte[] identity, Message message) {
    outbound.send(identity, message);
  }

  /**
   * Queues frames to a worker. Any thread.
   *
   * @param batchId when the frames are a batch: reported undeliverable if the worker is gone
   */
  public void send(byte[] identity, List<byte[]> frames, UUID batchId, String workerId) {
    outbound.send(identity, frames, batchId, workerId);
  }

  /**
   * Says goodbye to every registered worker and records that they are gone from this orchestrator
   * (a worker that stays up registers again with the next one). Any thread; call before {@link
   * #requestStop()}.
   */
  public void farewell() {
    for (WorkerSession session : registry.sessions()) {
      outbound.send(session.identity(), new Goodbye("shutdown"));
      sink.accept(new InboundEvent.WorkerGone(session.workerId(), false, clock.instant()));
    }
  }

  /** Queues a message to a worker by id; dropped if the worker is not registered then. Any thread. */
  public void sendToWorker(String workerId, Message message) {
    outbound.sendToWorker(workerId, message);
  }

  /** Asks the thread to stop after sending what is queued. Any thread. */
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
    int routerIndex = poller.register(router, ZMQ.Poller.POLLIN);
    int wakeupIndex = poller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    pausedPoller = context.createPoller(1);
    pausedPoller.register(wakeup.socket(), ZMQ.Poller.POLLIN);
    nextBeatAt = now() + settings.heartbeatIntervalMs();
    try {
      while (!stopRequested) {
        // One bad message or a bug in one pass must not take the workers' only connection down.
        try {
          pollOnce(poller, routerIndex, wakeupIndex);
        } catch (RuntimeException e) {
          log.error("orchestrator transport pass failed; carrying on", e);
        }
      }
      outbound.flush(router);
    } finally {
      poller.close();
      pausedPoller.close();
      context.destroySocket(router);
      wakeup.close();
      stopped.countDown();
    }
  }

  private void pollOnce(ZMQ.Poller poller, int routerIndex, int wakeupIndex) {
    if (!sink.acceptsMoreResults()) {
      // The applier is behind: leave what workers send in the socket's buffers for now.
      if (reading) {
        log.debug("applier backlog full; pausing reads");
        reading = false;
      }
      pausedPoller.poll(PAUSED_POLL_MS);
      wakeup.clear();
      outbound.flush(router);
      if (now() >= nextBeatAt) {
        protocol.heartbeat(reading);
        nextBeatAt = now() + settings.heartbeatIntervalMs();
      }
      return;
    }
    if (!reading) {
      protocol.readsResumed();
      reading = true;
    }
    long timeout = outbound.hasBacklog() ? BACKLOG_RETRY_MS : Math.max(1, nextBeatAt - now());
    poller.poll(timeout);
    if (poller.pollin(wakeupIndex)) {
      wakeup.clear();
    }
    if (poller.pollin(routerIndex)) {
      receiveAll();
    }
    outbound.flush(router);
    if (now() >= nextBeatAt) {
      protocol.heartbeat(reading);
      nextBeatAt = now() + settings.heartbeatIntervalMs();
    }
  }

  private void receiveAll() {
    List<byte[]> frames;
    int received = 0;
    while (received++ < 10_000 && sink.acceptsMoreResults() && (frames = MultipartSocket.receive(router)) != null) {
      protocol.receive(frames);
    }
  }

  private long now() {
    return System.nanoTime() / 1_000_000;
  }
}
