package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Credit;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Heartbeat;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepMetadata;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.Welcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepWorkerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private FakeOrchestrator orchestrator;
  private StepWorker worker;

  @BeforeEach
  void startOrchestrator() {
    orchestrator = new FakeOrchestrator();
  }

  @AfterEach
  void stopAll() {
    if (worker != null) {
      worker.close();
    }
    orchestrator.close();
  }

  private byte[] registerWorker(StepWorker.Builder builder) {
    worker = builder.endpoint(orchestrator.endpoint()).drainTimeout(Duration.ofSeconds(1)).build().start();
    FakeOrchestrator.Received hello = orchestrator.receive(WAIT);
    assertThat(hello.message()).isInstanceOf(Hello.class);
    orchestrator.send(hello.identity(), new Welcome(worker.workerId(), "test-orchestrator", "1", "json", 200));
    return hello.identity();
  }

  private static StepExecutionRequest aStep(String handler) {
    return new StepExecutionRequest(
        Ids.newId(),
        Ids.newId(),
        "step_" + handler,
        handler,
        null,
        JsonNodeFactory.instance.objectNode().put("n", 6),
        Map.of(),
        new StepMetadata(1, 3, 10_000));
  }

  @Test
  void hello_announces_the_handlers_the_concurrency_and_protocol_version_1() {
    worker =
        StepWorker.builder()
            .endpoint(orchestrator.endpoint())
            .handler("b", context -> StepResult.success())
            .handler("a", context -> StepResult.success())
            .concurrency(7)
            .build()
            .start();

    Hello hello = orchestrator.receive(Hello.class, WAIT);

    assertThat(hello.workerId()).isEqualTo(worker.workerId());
    assertThat(hello.language()).isEqualTo("java");
    assertThat(hello.handlers()).containsExactly("a", "b");
    assertThat(hello.concurrency()).isEqualTo(7);
    assertThat(hello.protocolVersions()).containsExactly("1");
  }

  @Test
  void a_batch_runs_concurrently_and_reports_each_step_then_the_completion() throws Exception {
    CountDownLatch allStarted = new CountDownLatch(3);
    StepHandler waitsForTheOthers =
        context -> {
          allStarted.countDown();
          if (!allStarted.await(5, TimeUnit.SECONDS)) {
            return StepResult.permanentFailure("steps did not run concurrently");
          }
          return StepResult.success(Map.of("squared", context.taskContext().get("n").asLong() * 6));
        };
    byte[] identity = registerWorker(StepWorker.builder().handler("square", waitsForTheOthers).concurrency(3));
    StepBatchRequest batch =
        new StepBatchRequest(Ids.newId(), "1", List.of(aStep("square"), aStep("square"), aStep("square")));

    orchestrator.send(identity, batch);

    List<PartialResult> partials = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      partials.add(orchestrator.receive(PartialResult.class, WAIT));
    }
    BatchCompletion completion = orchestrator.receive(BatchCompletion.class, WAIT);
    assertThat(partials).extracting(PartialResult::status).containsOnly(StepStatus.COMPLETED);
    assertThat(partials).extracting(PartialResult::sequence).containsExactly(1L, 2L, 3L);
    assertThat(partials).extracting(p -> p.output().get("squared").asLong()).containsOnly(36L);
    assertThat(partials).extracting(PartialResult::batchId).containsOnly(batch.batchId());
    assertThat(completion.batchId()).isEqualTo(batch.batchId());
    assertThat(completion.totalSteps()).isEqualTo(3);
    assertThat(completion.completedSteps()).isEqualTo(3);
    assertThat(completion.failedSteps()).isZero();
    assertThat(completion.stepSummaries())
        .extracting(s -> s.stepId())
        .containsExactlyInAnyOrderElementsOf(batch.steps().stream().map(StepExecutionRequest::stepId).toList());
  }

  @Test
  void a_step_for_a_handler_the_worker_does_not_serve_fails_permanently() {
    byte[] identity = registerWorker(StepWorker.builder().handler("known", context -> StepResult.success()));

    orchestrator.send(identity, new StepBatchRequest(Ids.newId(), "1", List.of(aStep("unknown"))));

    PartialResult result = orchestrator.receive(PartialResult.class, WAIT);
    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().errorType()).isEqualTo("unknown_handler");
    assertThat(result.error().retryable()).isFalse();
  }

  @Test
  void the_worker_heartbeats_at_the_welcomed_interval() {
    registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    long started = System.nanoTime();
    Heartbeat first = orchestrator.receive(Heartbeat.class, WAIT);
    Heartbeat second = orchestrator.receive(Heartbeat.class, WAIT);

    assertThat(first.sentAt()).isBeforeOrEqualTo(second.sentAt());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void a_malformed_message_is_answered_with_an_error_and_the_worker_keeps_working() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    orchestrator.send(
        identity,
        List.of(
            "tasker/1".getBytes(StandardCharsets.US_ASCII),
            "STEP_BATCH".getBytes(StandardCharsets.US_ASCII),
            "{\"batch_id\": 12".getBytes(StandardCharsets.UTF_8)));
    ProtocolError error = orchestrator.receive(ProtocolError.class, WAIT);
    orchestrator.send(identity, new StepBatchRequest(Ids.newId(), "1", List.of(aStep("a"))));

    assertThat(error.code()).isEqualTo(ErrorCode.MALFORMED_BODY);
    assertThat(orchestrator.receive(PartialResult.class, WAIT).status()).isEqualTo(StepStatus.COMPLETED);
  }

  @Test
  void an_unknown_protocol_version_is_answered_with_the_supported_versions() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    orchestrator.send(
        identity,
        List.of(
            "tasker/7".getBytes(StandardCharsets.US_ASCII),
            "HEARTBEAT".getBytes(StandardCharsets.US_ASCII),
            "{}".getBytes(StandardCharsets.UTF_8)));

    ProtocolError error = orchestrator.receive(ProtocolError.class, WAIT);
    assertThat(error.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(error.supportedVersions()).containsExactly("1");
  }

  @Test
  void closing_drains_the_running_step_before_saying_goodbye_is_done() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    byte[] identity =
        registerWorker(
            StepWorker.builder()
                .handler(
                    "slow",
                    context -> {
                      started.countDown();
                      release.await(5, TimeUnit.SECONDS);
                      return StepResult.success("done");
                    }));
    orchestrator.send(identity, new StepBatchRequest(Ids.newId(), "1", List.of(aStep("slow"))));
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(worker::close);
    closer.start();
    Goodbye goodbye = orchestrator.receive(Goodbye.class, WAIT);
    assertThat(worker.state()).isEqualTo(StepWorker.State.DRAINING);
    release.countDown();
    PartialResult result = orchestrator.receive(PartialResult.class, WAIT);
    orchestrator.receive(BatchCompletion.class, WAIT);
    orchestrator.send(identity, new Goodbye("acknowledged"));
    closer.join(10_000);

    assertThat(goodbye.reason()).isEqualTo("draining");
    assertThat(result.output().asText()).isEqualTo("done");
    assertThat(worker.state()).isEqualTo(StepWorker.State.STOPPED);
  }

  @Test
  void a_malformed_error_is_not_answered_and_a_message_only_workers_send_is_refused_before_decoding() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    orchestrator.send(identity, List.of("tasker/1".getBytes(StandardCharsets.US_ASCII),
        "ERROR".getBytes(StandardCharsets.US_ASCII)));
    orchestrator.send(identity, List.of("tasker/9".getBytes(StandardCharsets.US_ASCII),
        "ERROR".getBytes(StandardCharsets.US_ASCII), "{}".getBytes(StandardCharsets.UTF_8)));
    orchestrator.send(identity, List.of("tasker/1".getBytes(StandardCharsets.US_ASCII),
        "PARTIAL_RESULT".getBytes(StandardCharsets.US_ASCII), "{not json".getBytes(StandardCharsets.UTF_8)));

    ProtocolError error = orchestrator.receive(ProtocolError.class, WAIT);
    assertThat(error.code()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE);
    assertThat(error.messageType()).isEqualTo("PARTIAL_RESULT");
  }

  @Test
  void registering_again_keeps_the_credit_last_announced() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));
    worker.setCredit(3);
    assertThat(orchestrator.receive(Credit.class, WAIT).credit()).isEqualTo(3);

    orchestrator.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED, "who are you?", "HEARTBEAT", null));

    assertThat(orchestrator.receive(Hello.class, WAIT).concurrency()).isEqualTo(3);
  }

  @Test
  void a_paused_worker_registers_again_with_credit_1_and_pauses_again_after_the_welcome() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));
    worker.setCredit(0);
    assertThat(orchestrator.receive(Credit.class, WAIT).credit()).isZero();

    orchestrator.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED, "who are you?", "HEARTBEAT", null));
    Hello hello = orchestrator.receive(Hello.class, WAIT);
    orchestrator.send(identity, new Welcome(worker.workerId(), "test-orchestrator", "1", "json", 200));

    assertThat(hello.concurrency()).isEqualTo(1);
    assertThat(orchestrator.receive(Credit.class, WAIT).credit()).isZero();
  }

  @Test
  void a_worker_registers_again_when_the_orchestrator_does_not_know_it() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    orchestrator.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED, "who are you?", "HEARTBEAT", null));

    assertThat(orchestrator.receive(Hello.class, WAIT).workerId()).isEqualTo(worker.workerId());
  }

  @Test
  void a_credit_change_is_announced() {
    registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    worker.setCredit(0);

    assertThat(orchestrator.receive(Credit.class, WAIT).credit()).isZero();
  }

  @Test
  void results_produced_while_the_orchestrator_is_silent_are_sent_after_registering_again() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    byte[] identity =
        registerWorker(
            StepWorker.builder()
                .livenessMultiplier(2)
                .handler("wait", context -> {
                  release.await(10, TimeUnit.SECONDS);
                  return StepResult.success(1);
                }));
    UUID batchId = Ids.newId();
    orchestrator.send(identity, new StepBatchRequest(batchId, "1", List.of(aStep("wait"))));

    Hello again = orchestrator.receive(Hello.class, WAIT);
    release.countDown();
    Thread.sleep(200);
    orchestrator.send(identity, new Welcome(again.workerId(), "restarted-orchestrator", "1", "json", 200));

    PartialResult result = orchestrator.receive(PartialResult.class, WAIT);
    assertThat(result.batchId()).isEqualTo(batchId);
    assertThat(result.status()).isEqualTo(StepStatus.COMPLETED);
  }

  @Test
  void a_heartbeat_from_the_orchestrator_keeps_the_session() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success()));

    for (int i = 0; i < 5; i++) {
      orchestrator.send(identity, new Heartbeat(Instant.now()));
      orchestrator.receive(Heartbeat.class, WAIT);
    }

    assertThat(worker.state()).isEqualTo(StepWorker.State.RUNNING);
  }

  @Test
  void handlers_run_on_virtual_threads_exactly_when_the_jvm_has_them() throws Exception {
    boolean jvmHasVirtualThreads = Runtime.version().feature() >= 21;
    java.util.concurrent.atomic.AtomicReference<Boolean> ranVirtual = new java.util.concurrent.atomic.AtomicReference<>();
    byte[] identity =
        registerWorker(
            StepWorker.builder()
                .handler("where", context -> {
                  ranVirtual.set(isVirtual(Thread.currentThread()));
                  return StepResult.success();
                }));

    orchestrator.send(identity, new StepBatchRequest(Ids.newId(), "1", List.of(aStep("where"))));
    orchestrator.receive(PartialResult.class, WAIT);

    assertThat(worker.usesVirtualThreads()).isEqualTo(jvmHasVirtualThreads);
    assertThat(ranVirtual.get()).as("handler ran on a virtual thread (Java %s)", Runtime.version().feature())
        .isEqualTo(jvmHasVirtualThreads);
  }

  private static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  @Test
  void unacknowledged_results_are_sent_again_after_registering_again_and_acknowledged_ones_are_not() {
    byte[] identity = registerWorker(StepWorker.builder().handler("a", context -> StepResult.success(7)));
    StepBatchRequest first = new StepBatchRequest(Ids.newId(), "1", List.of(aStep("a")));
    StepBatchRequest second = new StepBatchRequest(Ids.newId(), "1", List.of(aStep("a")));
    orchestrator.send(identity, first);
    PartialResult firstResult = orchestrator.receive(PartialResult.class, WAIT);
    orchestrator.receive(BatchCompletion.class, WAIT);
    orchestrator.send(identity, new dev.tasker.protocol.Ack(
        List.of(new dev.tasker.protocol.Ack.ResultRef(first.batchId(), firstResult.stepId())), List.of(first.batchId())));
    orchestrator.send(identity, second);
    PartialResult secondResult = orchestrator.receive(PartialResult.class, WAIT);
    orchestrator.receive(BatchCompletion.class, WAIT);

    orchestrator.send(identity, new ProtocolError(ErrorCode.NOT_REGISTERED, "restarted", "HEARTBEAT", null));
    Hello again = orchestrator.receive(Hello.class, WAIT);
    orchestrator.send(identity, new Welcome(worker.workerId(), "restarted", "1", "json", 200));
    PartialResult resent = orchestrator.receive(PartialResult.class, WAIT);
    BatchCompletion resentCompletion = orchestrator.receive(BatchCompletion.class, WAIT);

    assertThat(again.heldBatches()).containsExactly(second.batchId());
    assertThat(resent).isEqualTo(secondResult);
    assertThat(resentCompletion.batchId()).isEqualTo(second.batchId());
  }
}
