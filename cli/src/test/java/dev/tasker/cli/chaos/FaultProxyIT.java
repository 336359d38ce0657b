package dev.tasker.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.MultipartSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Runs a {@link FaultProxy} over real TCP between a fake orchestrator (a ROUTER) and fake workers
 * (DEALERs), all driven by the test thread.
 */
class FaultProxyIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final UUID BATCH = UUID.randomUUID();

  private final ZContext context = new ZContext();
  private final ZMQ.Socket orchestrator = context.createSocket(SocketType.ROUTER);
  private final String orchestratorEndpoint;
  private FaultProxy proxy;

  FaultProxyIT() {
    orchestrator.setLinger(0);
    orchestrator.setRouterMandatory(true);
    orchestratorEndpoint = "tcp://127.0.0.1:" + orchestrator.bindToRandomPort("tcp://127.0.0.1");
  }

  @AfterEach
  void closeEverything() {
    if (proxy != null) {
      proxy.close();
    }
    context.close();
  }

  @Test
  void messages_pass_both_ways_unchanged_and_replies_reach_the_worker_they_are_addressed_to() {
    startProxy(settings -> settings);
    ZMQ.Socket workerA = worker("worker-a");
    ZMQ.Socket workerB = worker(null);

    send(workerA, Frames.encode(hello("worker-a")));
    Received helloA = receive(orchestrator);
    send(workerB, Frames.encode(hello("worker-b")));
    Received helloB = receive(orchestrator);

    assertThat(helloA.identity()).isEqualTo(bytes("worker-a"));
    assertThat(helloA.frames()).containsExactlyElementsOf(Frames.encode(hello("worker-a")));
    assertThat(helloB.frames()).containsExactlyElementsOf(Frames.encode(hello("worker-b")));
    assertThat(helloB.identity()).isNotEqualTo(helloA.identity());

    List<byte[]> welcomeB = Frames.encode(welcome("worker-b"));
    List<byte[]> welcomeA = Frames.encode(welcome("worker-a"));
    MultipartSocket.send(orchestrator, helloB.identity(), welcomeB);
    MultipartSocket.send(orchestrator, helloA.identity(), welcomeA);
    assertThat(receive(workerA).frames()).containsExactlyElementsOf(welcomeA);
    assertThat(receive(workerB).frames()).containsExactlyElementsOf(welcomeB);

    List<byte[]> malformed = List.of(bytes("tasker/1"), bytes("NOT_A_TYPE"));
    List<byte[]> result = Frames.encode(partial(1));
    send(workerB, malformed);
    send(workerB, result);
    Received first = receive(orchestrator);
    Received second = receive(orchestrator);
    assertThat(first.identity()).isEqualTo(helloB.identity());
    assertThat(first.frames()).containsExactlyElementsOf(malformed);
    assertThat(second.identity()).isEqualTo(helloB.identity());
    assertThat(second.frames()).containsExactlyElementsOf(result);
    assertThat(proxy.counts()).isEqualTo(new FaultProxy.Counts(6, 0, 0, 0));
  }

  @Test
  void duplicate_probability_1_sends_every_partial_result_twice_and_every_heartbeat_once() {
    startProxy(settings -> settings.duplicateProbability(1));
    ZMQ.Socket worker = worker("worker-a");

    send(worker, partial(1), heartbeat(), partial(2), heartbeat(), credit());

    assertThat(receiveUntilCredit())
        .containsExactly("PARTIAL_RESULT#1", "PARTIAL_RESULT#1", "HEARTBEAT", "PARTIAL_RESULT#2",
            "PARTIAL_RESULT#2", "HEARTBEAT", "CREDIT");
    assertThat(proxy.counts("PARTIAL_RESULT")).isEqualTo(new FaultProxy.Counts(4, 2, 0, 0));
    assertThat(proxy.counts("HEARTBEAT")).isEqualTo(new FaultProxy.Counts(2, 0, 0, 0));
  }

  @Test
  void reorder_probability_1_swaps_consecutive_partial_results_and_flushes_a_lone_one_within_200_ms() {
    startProxy(settings -> settings.reorderProbability(1));
    ZMQ.Socket worker = worker("worker-a");

    send(worker, partial(1), partial(2), partial(3), partial(4));
    assertThat(List.of(describe(receive(orchestrator)), describe(receive(orchestrator)),
            describe(receive(orchestrator)), describe(receive(orchestrator))))
        .containsExactly("PARTIAL_RESULT#2", "PARTIAL_RESULT#1", "PARTIAL_RESULT#4", "PARTIAL_RESULT#3");

    long sentAt = System.nanoTime();
    send(worker, partial(5), heartbeat());
    assertThat(describe(receive(orchestrator))).isEqualTo("HEARTBEAT");
    assertThat(describe(receive(orchestrator))).isEqualTo("PARTIAL_RESULT#5");
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(Duration.ofMillis(1000));
    assertThat(proxy.counts("PARTIAL_RESULT")).isEqualTo(new FaultProxy.Counts(5, 0, 3, 0));
  }

  @Test
  void drop_probability_1_drops_every_partial_result_but_a_batch_completion_still_arrives() {
    startProxy(settings -> settings.dropProbability(1));
    ZMQ.Socket worker = worker("worker-a");

    send(worker, partial(1), partial(2), completion(), credit());

    assertThat(receiveUntilCredit()).containsExactly("BATCH_COMPLETION", "CREDIT");
    assertThat(proxy.counts("PARTIAL_RESULT")).isEqualTo(new FaultProxy.Counts(0, 0, 0, 2));
    assertThat(proxy.counts("BATCH_COMPLETION")).isEqualTo(new FaultProxy.Counts(1, 0, 0, 0));
  }

  @Test
  void completions_are_dropped_too_when_they_are_in_the_fault_set() {
    startProxy(settings -> settings.dropProbability(1).faultBatchCompletions(true));
    ZMQ.Socket worker = worker("worker-a");

    send(worker, partial(1), completion(), heartbeat(), credit());

    assertThat(receiveUntilCredit()).containsExactly("HEARTBEAT", "CREDIT");
    assertThat(proxy.counts().dropped()).isEqualTo(2);
  }

  @Test
  void a_delay_holds_partial_results_back_but_not_heartbeats() {
    startProxy(settings -> settings.delayMs(300));
    ZMQ.Socket worker = worker("worker-a");

    long sentAt = System.nanoTime();
    send(worker, partial(1), heartbeat());

    assertThat(describe(receive(orchestrator))).isEqualTo("HEARTBEAT");
    assertThat(describe(receive(orchestrator))).isEqualTo("PARTIAL_RESULT#1");
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void close_stops_within_2_seconds_even_with_held_and_delayed_messages() {
    proxy = new FaultProxy(FaultSettings.builder()
        .frontendEndpoint("tcp://127.0.0.1:0")
        .backendEndpoint(orchestratorEndpoint)
        .reorderProbability(0.5)
        .delayMs(60_000)
        .build());
    proxy.start();
    ZMQ.Socket worker = worker("worker-a");
    send(worker, heartbeat(), partial(1), partial(2), partial(3));
    receive(orchestrator);

    long closing = System.nanoTime();
    proxy.close();

    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(2));
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().equals("tasker-fault-proxy"));
  }

  @Test
  void settings_name_the_invalid_field() {
    FaultSettings.Builder valid =
        FaultSettings.builder().frontendEndpoint("tcp://127.0.0.1:0").backendEndpoint(orchestratorEndpoint);

    assertThatThrownBy(() -> valid.dropProbability(1.5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dropProbability must be between 0 and 1 but was 1.5");
    assertThatThrownBy(() -> valid.dropProbability(0).duplicateProbability(Double.NaN).build())
        .hasMessageStartingWith("duplicateProbability");
    assertThatThrownBy(() -> valid.duplicateProbability(0).delayMs(-1).build())
        .hasMessage("delayMs must be >= 0 ms but was -1");
    assertThatThrownBy(() -> FaultSettings.builder().frontendEndpoint("tcp://127.0.0.1:0").build())
        .hasMessage("backendEndpoint must not be blank");
  }

  private record Received(byte[] identity, List<byte[]> frames) {}

  private void startProxy(UnaryOperator<FaultSettings.Builder> faults) {
    FaultSettings settings = faults.apply(FaultSettings.builder()
            .frontendEndpoint("tcp://127.0.0.1:0")
            .backendEndpoint(orchestratorEndpoint))
        .build();
    proxy = new FaultProxy(settings, context);
    proxy.start();
  }

  private ZMQ.Socket worker(String identity) {
    ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
    dealer.setLinger(0);
    if (identity != null) {
      dealer.setIdentity(bytes(identity));
    }
    dealer.connect(proxy.frontendEndpoint());
    return dealer;
  }

  private static void send(ZMQ.Socket worker, Message... messages) {
    for (Message message : messages) {
      send(worker, Frames.encode(message));
    }
  }

  private static void send(ZMQ.Socket worker, List<byte[]> frames) {
    assertThat(MultipartSocket.send(worker, null, frames)).as("sent").isTrue();
  }

  /** The next message on {@code socket}; on a ROUTER the first frame becomes the identity. */
  private Received receive(ZMQ.Socket socket) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    ZMQ.Poller poller = context.createPoller(1);
    poller.register(socket, ZMQ.Poller.POLLIN);
    try {
      while (System.nanoTime() < deadline) {
        poller.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        List<byte[]> frames = MultipartSocket.receive(socket);
        if (frames != null && socket == orchestrator) {
          return new Received(frames.get(0), frames.subList(1, frames.size()));
        } else if (frames != null) {
          return new Received(null, frames);
        }
      }
      throw new AssertionError("no message within " + TIMEOUT);
    } finally {
      poller.close();
    }
  }

  /** What the orchestrator receives up to and including a CREDIT, which the test sends last. */
  private List<String> receiveUntilCredit() {
    List<String> received = new ArrayList<>();
    do {
      received.add(describe(receive(orchestrator)));
    } while (!received.get(received.size() - 1).equals("CREDIT"));
    return received;
  }

  /** The message type, and a partial result's sequence after a {@code #}. */
  private static String describe(Received received) {
    Message message = Frames.decode(received.frames());
    return message instanceof PartialResult partial
        ? "PARTIAL_RESULT#" + partial.sequence()
        : message.type().wireName();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static Hello hello(String workerId) {
    return new Hello(workerId, "java", "test", List.of("1"), List.of("echo"), 4, null);
  }

  private static Welcome welcome(String workerId) {
    return new Welcome(workerId, "orchestrator-1", "1", "json", 1000);
  }

  private static PartialResult partial(long sequence) {
    return new PartialResult(BATCH, UUID.randomUUID(), 1, StepStatus.COMPLETED, null, null,
        "worker-a", sequence, Instant.now(), 5);
  }

  private static BatchCompletion completion() {
    StepSummary summary = new StepSummary(UUID.randomUUID(), 1, StepStatus.COMPLETED, null, null, 5);
    return new BatchCompletion(BATCH, 1, 1, 0, 0, List.of(summary), Instant.now());
  }

  private static Heartbeat heartbeat() {
    return new Heartbeat(Instant.now());
  }

  private static Credit credit() {
    return new Credit(4);
  }
}
