package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.Message;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepMetadata;
import dev.tasker.protocol.Welcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker and two orchestrators played by the test over TCP: discovery, credit and result routing. */
class SeveralOrchestratorsWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeOrchestrator first = new FakeOrchestrator();
  private final FakeOrchestrator second = new FakeOrchestrator();
  private StepWorker worker;

  @AfterEach
  void stopAll() {
    if (worker != null) {
      worker.close();
    }
    first.close();
    second.close();
  }

  private static Welcome aWelcome(String workerId, String orchestratorId, Welcome.OrchestratorEndpoints... live) {
    // A long heartbeat interval: these orchestrators do not beat, and must not be given up for silence.
    return new Welcome(workerId, orchestratorId, "1", "json", 10_000, List.of(live));
  }

  /** The next message of {@code type}, skipping heartbeats (and HELLOs unless they are asked for). */
  private static <T extends Message> FakeOrchestrator.Received next(FakeOrchestrator orchestrator, Class<T> type) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      FakeOrchestrator.Received received =
          orchestrator.receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (type.isInstance(received.message())) {
        return received;
      }
    }
  }

  /**
   * The next HELLO that lists held batches. On a loaded machine the worker may repeat its first
   * HELLO (nothing held) before the test's WELCOME reaches it; that repeat is not the one after
   * the other session was lost.
   */
  private static Hello nextHelloHoldingBatches(FakeOrchestrator orchestrator) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Hello hello = (Hello) next(orchestrator, Hello.class).message();
      if (hello.heldBatches() != null && !hello.heldBatches().isEmpty()) {
        return hello;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no HELLO listing held batches within " + WAIT + "; the last: " + hello);
      }
    }
  }

  @Test
  void a_welcome_naming_another_orchestrator_opens_a_session_with_it_and_the_credit_is_split() {
    worker = StepWorker.builder().endpoint(first.endpoint()).handler("h", c -> StepResult.success())
        .concurrency(8).drainTimeout(Duration.ofSeconds(1)).build().start();
    FakeOrchestrator.Received hello = next(first, Hello.class);
    assertThat(((Hello) hello.message()).concurrency()).isEqualTo(8);

    first.send(hello.identity(), aWelcome(worker.workerId(), "first",
        new Welcome.OrchestratorEndpoints("first", List.of(first.endpoint())),
        new Welcome.OrchestratorEndpoints("second", List.of(second.endpoint()))));
    FakeOrchestrator.Received discovered = next(second, Hello.class);
    second.send(discovered.identity(), aWelcome(worker.workerId(), "second"));

    assertThat(((Hello) discovered.message()).workerId()).isEqualTo(worker.workerId());
    assertThat(((Hello) discovered.message()).concurrency()).isEqualTo(4);
    assertThat(((Credit) next(first, Credit.class).message()).credit()).isEqualTo(4);
  }

  @Test
  void without_discovery_the_worker_serves_only_the_endpoints_it_was_given() throws Exception {
    worker = StepWorker.builder().endpoint(first.endpoint()).handler("h", c -> StepResult.success())
        .concurrency(8).discover(false).drainTimeout(Duration.ofSeconds(1)).build().start();
    FakeOrchestrator.Received hello = next(first, Hello.class);
    first.send(hello.identity(), aWelcome(worker.workerId(), "first",
        new Welcome.OrchestratorEndpoints("second", List.of(second.endpoint()))));
    assertThat(worker.awaitRegistered(WAIT)).isTrue();

    // Discovery would say HELLO to the second at once; a second of silence is far longer.
    List<Message> heard = new ArrayList<>();
    try {
      heard.add(second.receive(Duration.ofSeconds(1)).message());
    } catch (AssertionError expected) {
      // nothing arrived
    }
    assertThat(heard).isEmpty();
    assertThat(worker.registeredOrchestrators()).isEqualTo(1);
  }

  @Test
  void results_of_a_batch_from_an_orchestrator_that_shuts_down_go_to_the_other_after_a_hello_listing_it()
      throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    worker = StepWorker.builder()
        .endpoints(List.of(first.endpoint(), second.endpoint()))
        .handler("gate", c -> {
          started.countDown();
          return release.await(10, TimeUnit.SECONDS) ? StepResult.success() : StepResult.permanentFailure("gate");
        })
        .concurrency(2)
        .drainTimeout(Duration.ofSeconds(1))
        .build()
        .start();
    FakeOrchestrator.Received helloFirst = next(first, Hello.class);
    FakeOrchestrator.Received helloSecond = next(second, Hello.class);
    first.send(helloFirst.identity(), aWelcome(worker.workerId(), "first"));
    second.send(helloSecond.identity(), aWelcome(worker.workerId(), "second"));
    StepBatchRequest batch = new StepBatchRequest(Ids.newId(), "1", List.of(new StepExecutionRequest(
        Ids.newId(), Ids.newId(), "gate", "gate", null, JsonNodeFactory.instance.objectNode(), Map.of(),
        new StepMetadata(1, 3, 10_000))));
    first.send(helloFirst.identity(), batch);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    first.send(helloFirst.identity(), new Goodbye("shutdown"));
    Hello again = nextHelloHoldingBatches(second);
    release.countDown();
    PartialResult result = (PartialResult) next(second, PartialResult.class).message();

    assertThat(again.heldBatches()).containsExactly(batch.batchId());
    assertThat(result.batchId()).isEqualTo(batch.batchId());
    assertThat(result.stepId()).isEqualTo(batch.steps().get(0).stepId());
  }

  @Test
  void a_worker_that_loses_a_session_it_held_nothing_of_tells_the_other_every_batch_it_holds() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    worker = StepWorker.builder()
        .endpoints(List.of(first.endpoint(), second.endpoint()))
        .handler("gate", c -> {
          started.countDown();
          return release.await(10, TimeUnit.SECONDS) ? StepResult.success() : StepResult.permanentFailure("gate");
        })
        .concurrency(2)
        .drainTimeout(Duration.ofSeconds(1))
        .build()
        .start();
    FakeOrchestrator.Received helloFirst = next(first, Hello.class);
    FakeOrchestrator.Received helloSecond = next(second, Hello.class);
    first.send(helloFirst.identity(), aWelcome(worker.workerId(), "first"));
    second.send(helloSecond.identity(), aWelcome(worker.workerId(), "second"));
    StepBatchRequest batch = new StepBatchRequest(Ids.newId(), "1", List.of(new StepExecutionRequest(
        Ids.newId(), Ids.newId(), "gate", "gate", null, JsonNodeFactory.instance.objectNode(), Map.of(),
        new StepMetadata(1, 3, 10_000))));
    second.send(helloSecond.identity(), batch);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    // Nothing of the first's to move: a batch it sent that never arrived is known only by its
    // absence from this list, which lets a surviving orchestrator run it again.
    first.send(helloFirst.identity(), new Goodbye("shutdown"));
    Hello again = nextHelloHoldingBatches(second);
    release.countDown();

    assertThat(again.heldBatches()).containsExactly(batch.batchId());
  }
}
