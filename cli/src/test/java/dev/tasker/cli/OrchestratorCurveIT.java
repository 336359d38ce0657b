package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.examples.ExampleHandlers;
import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.schema.testing.TestDatabases;
import dev.tasker.worker.StepWorker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tasker orchestrator} as a process with CURVE: it binds an address other hosts can reach
 * without {@code --allow-insecure}, refuses a worker whose key it does not list, and lets it in
 * after its key is added and the process gets SIGHUP, never logging key material.
 */
class OrchestratorCurveIT {

  private static final Pattern LISTENING = Pattern.compile("listening on \\[tcp://0\\.0\\.0\\.0:(\\d+)]");

  @TempDir Path dir;
  private Process orchestrator;
  private StepWorker worker;

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (orchestrator != null) {
      orchestrator.destroy();
      if (!orchestrator.waitFor(20, TimeUnit.SECONDS)) {
        orchestrator.destroyForcibly();
      }
    }
  }

  @Test
  void a_worker_key_added_to_the_file_gets_in_after_sighup_and_no_key_is_logged() throws Exception {
    CurveKeyPair server = CurveKeys.generate();
    CurveKeyPair known = CurveKeys.generate();
    CurveKeyPair added = CurveKeys.generate();
    Path secretFile = Files.writeString(dir.resolve("orchestrator.key"), server.secretKey() + "\n");
    Path authorized = Files.writeString(dir.resolve("authorized_workers"), known.publicKey() + "\n");
    Path log = dir.resolve("orchestrator.log");
    ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), TaskerCli.class.getName(), "orchestrator",
        "--http-endpoint", "127.0.0.1:0", "--endpoint", "tcp://0.0.0.0:0", "--curve-secret-key-file", secretFile.toString(),
        "--curve-authorized-keys-file", authorized.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .directory(dir.toFile());
    builder.environment().put("TASKER_DATABASE_URL", TestDatabases.freshDatabase().jdbcUrl());
    orchestrator = builder.start();
    String port = awaitLogMatch(log, LISTENING).group(1);

    worker = StepWorker.builder().endpoint("tcp://127.0.0.1:" + port).handlers(ExampleHandlers.all())
        .helloRetryMax(Duration.ofMillis(300)).curveServerKey(server.publicKey()).curveKeyPair(added).build().start();
    assertThat(worker.awaitRegistered(Duration.ofSeconds(3))).isFalse();
    awaitLogMatch(log, Pattern.compile("refused a connection from 127\\.0\\.0\\.1: its CURVE public key is not in"
        + " curve_authorized_keys_file"));

    Files.writeString(authorized, "# added\n" + added.publicKey() + "\n", StandardOpenOption.APPEND);
    Process hangup = new ProcessBuilder("kill", "-HUP", Long.toString(orchestrator.pid())).start();
    assertThat(hangup.waitFor(10, TimeUnit.SECONDS)).isTrue();
    awaitLogMatch(log, Pattern.compile("reloaded curve_authorized_keys_file: 2 keys authorized"));

    assertThat(worker.awaitRegistered(Duration.ofSeconds(20))).isTrue();
    String logged = Files.readString(log);
    assertThat(logged).doesNotContain("warning:").doesNotContain("allow_insecure");
    for (String key : List.of(server.secretKey(), server.publicKey(), known.publicKey(), added.publicKey(),
        added.secretKey())) {
      assertThat(logged).doesNotContain(key);
    }
  }

  private Matcher awaitLogMatch(Path log, Pattern pattern) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Matcher matcher = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (matcher.find()) {
        return matcher;
      }
      assertThat(orchestrator.isAlive()).as("orchestrator alive; its log:\n%s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("'%s' in the log within 60 s:\n%s", pattern, Files.readString(log))
          .isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }
}
