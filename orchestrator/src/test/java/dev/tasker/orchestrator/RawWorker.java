package dev.tasker.orchestrator;

import dev.tasker.protocol.Ack;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import dev.tasker.protocol.Welcome;
import dev.tasker.protocol.transport.MultipartSocket;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker the test drives frame by frame over a real DEALER socket: it sends exactly what the test
 * says and answers nothing by itself (not even heartbeats, unless asked).
 */
final class RawWorker implements AutoCloseable {

  final String workerId;
  private final ZContext context = new ZContext();
  private final ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
  private long sequence = 1;
  private final List<Ack> acks = new java.util.ArrayList<>();
  private dev.tasker.protocol.MessageCodec codec = dev.tasker.protocol.JsonCodec.instance();

  RawWorker(String endpoint, String workerId) {
    this.workerId = workerId;
    dealer.setLinger(0);
    dealer.connect(endpoint);
  }

  Welcome register(int concurrency, String... handlers) {
    send(new Hello(workerId, "test", "0", List.of("1"), List.of(handlers), concurrency, null));
    return receive(Welcome.class, Duration.ofSeconds(10));
  }

  /** Registers saying it holds exactly {@code heldBatches}. */
  Welcome registerHolding(List<java.util.UUID> heldBatches, int concurrency, String... handlers) {
    send(new Hello(workerId, "test", "0", List.of("1"), List.of(handlers), concurrency, null, heldBatches));
    return receive(Welcome.class, Duration.ofSeconds(10));
  }

  /** Encodes and decodes bodies with {@code sessionCodec} from now on (as after a WELCOME). */
  void useCodec(dev.tasker.protocol.MessageCodec sessionCodec) {
    codec = sessionCodec;
  }

  void send(Message message) {
    sendFrames(Frames.encode(message, codec));
  }

  void sendFrames(List<byte[]> frames) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!MultipartSocket.send(dealer, null, frames)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not send");
      }
      Thread.onSpinWait();
    }
  }

  /** The next message other than a heartbeat, or {@code null} after {@code timeout}. */
  Message poll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (ZMQ.Poller poller = context.createPoller(1)) {
      poller.register(dealer, ZMQ.Poller.POLLIN);
      while (System.nanoTime() < deadline) {
        poller.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        List<byte[]> frames;
        while ((frames = MultipartSocket.receive(dealer)) != null) {
          Message message = Frames.decode(frames, codec);
          if (!(message instanceof Heartbeat)) {
            return message;
          }
        }
      }
    }
    return null;
  }

  /**
   * Like {@link #poll} but heartbeating every 100 ms, so the orchestrator keeps the session, and
   * setting acknowledgements aside (see {@link #acks()}).
   */
  Message pollAlive(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      heartbeat();
      Message message = poll(Duration.ofMillis(100));
      if (message instanceof Ack ack) {
        acks.add(ack);
      } else if (message != null) {
        return message;
      }
    }
    return null;
  }

  /** Acknowledgements received so far by {@link #pollAlive}. */
  List<Ack> acks() {
    return acks;
  }

  <T extends Message> T receive(Class<T> type, Duration timeout) {
    Message message = poll(timeout);
    if (!type.isInstance(message)) {
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + message);
    }
    return type.cast(message);
  }

  void heartbeat() {
    send(new Heartbeat(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
  }

  PartialResult completed(StepBatchRequest batch, StepExecutionRequest step) {
    return new PartialResult(batch.batchId(), step.stepId(), step.metadata().attempt(), StepStatus.COMPLETED,
        JsonNodeFactory.instance.objectNode().put("by", workerId), null, workerId, sequence++,
        Instant.now().truncatedTo(ChronoUnit.MILLIS), 1);
  }

  BatchCompletion completion(StepBatchRequest batch) {
    List<StepSummary> summaries = batch.steps().stream()
        .map(s -> new StepSummary(s.stepId(), s.metadata().attempt(), StepStatus.COMPLETED,
            JsonNodeFactory.instance.objectNode().put("by", workerId), null, 1))
        .toList();
    return new BatchCompletion(batch.batchId(), batch.steps().size(), batch.steps().size(), 0, 0, summaries,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  @Override
  public void close() {
    context.close();
  }
}
