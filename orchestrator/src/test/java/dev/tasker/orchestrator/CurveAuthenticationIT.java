package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.worker.StepWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator with CURVE over real TCP: only workers whose public key is listed in {@code
 * curve_authorized_keys_file} get steps; a worker with an unknown key, and one without CURVE, never
 * register and get nothing.
 */
class CurveAuthenticationIT {

  @TempDir Path dir;

  private final CurveKeyPair orchestratorKeys = CurveKeys.generate();
  private final CurveKeyPair authorizedKeys = CurveKeys.generate();
  private final CurveKeyPair unknownKeys = CurveKeys.generate();
  private final List<StepWorker> intruders = new ArrayList<>();
  private Path authorizedFile;
  private TaskerTestSystem system;

  @BeforeEach
  void start() throws Exception {
    Path secretFile = Files.writeString(dir.resolve("orchestrator.key"), orchestratorKeys.secretKey() + "\n");
    authorizedFile = Files.writeString(dir.resolve("authorized_workers"),
        "# the one authorized worker\n" + authorizedKeys.publicKey() + "\n");
    OrchestratorConfig config = OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .curve(secretFile, authorizedFile).build();
    system = TaskerTestSystem.start(config);
  }

  @AfterEach
  void stop() {
    intruders.forEach(StepWorker::close);
    system.close();
  }

  private StepWorker intruder(String workerId, CurveKeyPair keys) {
    StepWorker.Builder builder = StepWorker.builder()
        .endpoint(system.tasker.endpoint())
        .workerId(workerId)
        .handlers(TestHandlers.all())
        .helloRetryMax(Duration.ofMillis(200))
        .drainTimeout(Duration.ofSeconds(1));
    if (keys != null) {
      builder.curveServerKey(orchestratorKeys.publicKey()).curveKeyPair(keys);
    }
    StepWorker worker = builder.build().start();
    intruders.add(worker);
    return worker;
  }

  @Test
  void only_the_worker_with_an_authorized_key_gets_steps_and_the_tasks_complete() throws Exception {
    StepWorker unknownKey = intruder("worker-with-unknown-key", unknownKeys);
    StepWorker noCurve = intruder("worker-without-curve", null);
    List<CreatedTask> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(system.submit("linear", Map.of("start", i)));
    }

    // Ready steps and two workers trying to register the whole time: neither gets in.
    assertThat(unknownKey.awaitRegistered(Duration.ofSeconds(3))).isFalse();
    assertThat(noCurve.awaitRegistered(Duration.ZERO)).isFalse();
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches")).isZero();
    assertThat(system.count("SELECT count(*) FROM tasker.workers")).isZero();

    StepWorker authorized = system.worker(TestHandlers.all(), 4,
        builder -> builder.curveServerKey(orchestratorKeys.publicKey()).curveKeyPair(authorizedKeys));
    for (CreatedTask task : tasks) {
      assertThat(system.awaitFinished(task.taskId()).state()).isEqualTo(TaskState.COMPLETE);
    }

    assertThat(system.count("SELECT count(DISTINCT worker_id) FROM tasker.step_execution_batches")).isEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches WHERE worker_id = '"
        + authorized.workerId() + "'")).isGreaterThanOrEqualTo(1);
    assertThat(system.count("SELECT count(*) FROM tasker.workers WHERE worker_id IN"
        + " ('worker-with-unknown-key', 'worker-without-curve')")).isZero();
    assertThat(unknownKey.awaitRegistered(Duration.ZERO)).isFalse();
    assertThat(noCurve.awaitRegistered(Duration.ZERO)).isFalse();
  }

  @Test
  void a_key_added_to_the_file_is_accepted_after_a_reload() throws Exception {
    StepWorker later = intruder("worker-authorized-later", unknownKeys);
    assertThat(later.awaitRegistered(Duration.ofSeconds(2))).isFalse();

    Files.writeString(authorizedFile, unknownKeys.publicKey() + "\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(system.orchestrator().reloadAuthorizedKeys()).isEqualTo(2);

    // The worker opens a new connection after a few unanswered HELLOs; that handshake succeeds.
    assertThat(later.awaitRegistered(Duration.ofSeconds(15))).isTrue();
    CreatedTask task = system.submit("linear", Map.of("start", 1));
    assertThat(system.awaitFinished(task.taskId()).state()).isEqualTo(TaskState.COMPLETE);
    assertThat(system.count("SELECT count(*) FROM tasker.step_execution_batches WHERE worker_id <> "
        + "'worker-authorized-later'")).isZero();
  }

  @Test
  void a_reload_of_a_malformed_file_keeps_the_keys_in_use() throws Exception {
    Files.writeString(authorizedFile, "not a key\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> system.orchestrator().reloadAuthorizedKeys())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("curve_authorized_keys_file: " + authorizedFile + " line 1");
    system.worker(TestHandlers.all(), 2,
        builder -> builder.curveServerKey(orchestratorKeys.publicKey()).curveKeyPair(authorizedKeys));
  }
}
