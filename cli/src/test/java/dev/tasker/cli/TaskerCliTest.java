package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TaskerCliTest {

  @Test
  void aWrappedFailureIsReportedWithItsInnermostCauseFirst() {
    RuntimeException wrapped = new RuntimeException("migrating schema tasker failed: Unable to obtain connection",
        new SQLException("pool timed out", new SQLException("FATAL: password authentication failed for user \"x\"")));

    assertThat(TaskerCli.rootCauseNotShown(wrapped)).isEqualTo("FATAL: password authentication failed for user \"x\"");
  }

  @Test
  void aFailureThatAlreadyNamesItsCauseIsNotRepeated() {
    RuntimeException plain = new IllegalArgumentException("--single must be at least 1 but was 0");
    RuntimeException saysItAll = new RuntimeException("could not connect: Connection refused",
        new java.net.ConnectException("Connection refused"));

    assertThat(TaskerCli.rootCauseNotShown(plain)).isNull();
    assertThat(TaskerCli.rootCauseNotShown(saysItAll)).isNull();
  }

  @Test
  void benchRefusesOptionsItCannotMeasureBeforeStartingAnything() {
    assertThat(benchError("--concurrency", "0")).contains("--concurrency must be at least 1 but was 0");
    assertThat(benchError("--single", "0")).contains("--single must be at least 1 but was 0");
    assertThat(benchError("--workers", "-1")).contains("--workers must be at least 1 but was -1");
    assertThat(benchError("--dag", "-1")).contains("--dag must be at least 1 but was -1");
    assertThat(benchError("--backlog", "2000000")).contains("--backlog must be from 0 to 1000000 but was 2000000");
  }

  @Test
  void orchestratorRefusesAnEndpointOtherHostsCanReachBeforeStartingAnything() {
    assertThat(refusal(new OrchestratorCommand(), "--endpoint", "tcp://0.0.0.0:5555"))
        .contains("endpoints: 'tcp://0.0.0.0:5555' can be reached from other hosts")
        .contains("configure CURVE")
        .contains("--allow-insecure");
  }

  @Test
  void workerTakesSeveralEndpointsRepeatedOrCommaSeparated() {
    WorkerCommand repeated = new WorkerCommand();
    new CommandLine(repeated).parseArgs("--endpoint", "tcp://127.0.0.1:5555", "--endpoint", "tcp://127.0.0.1:5556");
    WorkerCommand commas = new WorkerCommand();
    new CommandLine(commas).parseArgs("--endpoint", "tcp://127.0.0.1:5555,tcp://127.0.0.1:5556", "--no-discover");
    WorkerCommand plain = new WorkerCommand();
    new CommandLine(plain).parseArgs();

    assertThat(repeated.endpoints).containsExactly("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556");
    assertThat(repeated.noDiscover).isFalse();
    assertThat(commas.endpoints).containsExactly("tcp://127.0.0.1:5555", "tcp://127.0.0.1:5556");
    assertThat(commas.noDiscover).isTrue();
    assertThat(plain.endpoints).containsExactly(
        System.getenv().getOrDefault("TASKER_ENDPOINT", "tcp://127.0.0.1:5555").split(","));
  }

  @Test
  void orchestratorRefusesAMissingCurveKeyFileNamingTheSettingBeforeStartingAnything(@TempDir Path dir)
      throws Exception {
    Path authorized = Files.writeString(dir.resolve("workers"), CurveKeys.generate().publicKey() + "\n");
    Path missing = dir.resolve("orchestrator.key");

    assertThat(refusal(new OrchestratorCommand(), "--endpoint", "tcp://0.0.0.0:5555",
        "--curve-secret-key-file", missing.toString(), "--curve-authorized-keys-file", authorized.toString()))
        .contains("curve_secret_key_file: " + missing + " cannot be read (no such file)");
  }

  @Test
  void keysGenerateWritesAPrivateSecretKeyAndItsPublicKeyAndNeverOverwrites(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("keys/worker-1");
    int status = new CommandLine(new TaskerCli()).execute("keys", "generate", "--out", out.toString());

    assertThat(status).isZero();
    Path secret = dir.resolve("keys/worker-1.key");
    Path pub = dir.resolve("keys/worker-1.pub");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    CurveKeyPair pair = CurveKeys.readSecretKeyFile(secret);
    assertThat(CurveKeys.readPublicKeyFile(pub)).isEqualTo(pair.publicKey());
    String before = Files.readString(secret);
    assertThat(refusal(new TaskerCli(), "keys", "generate", "--out", out.toString()))
        .contains(secret + " exists");
    assertThat(Files.readString(secret)).isEqualTo(before);
  }

  @Test
  void workerRefusesHalfACurveConfiguration(@TempDir Path dir) throws Exception {
    assertThat(refusal(new WorkerCommand(), "--curve-server-key", CurveKeys.generate().publicKey()))
        .contains("--curve-server-key is set but --curve-key-file is not: CURVE needs both");
    Path secret = Files.writeString(dir.resolve("w.key"), CurveKeys.generate().secretKey() + "\n");
    assertThat(refusal(new WorkerCommand(), "--curve-server-key", "short", "--curve-key-file", secret.toString()))
        .contains("--curve-server-key must be 40 characters of Z85 but has 5");
  }

  @Test
  void aWorkersBadCurveKeyIsReportedOnceNamingTheOption(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("w.key"), CurveKeys.generate().secretKey() + "\n");
    Path malformed = Files.writeString(dir.resolve("bad.key"), "not a key\n");
    String serverKey = CurveKeys.generate().publicKey();

    assertThat(taskerErrors("worker", "--curve-server-key", "short", "--curve-key-file", secret.toString()))
        .containsExactly("tasker worker: --curve-server-key must be 40 characters of Z85 but has 5");
    assertThat(taskerErrors("worker", "--curve-server-key", serverKey, "--curve-key-file", malformed.toString()))
        .singleElement().asString().startsWith("tasker worker: --curve-key-file: " + malformed);
    assertThat(taskerErrors("worker", "--curve-server-key", serverKey, "--curve-key-file", dir + "/missing.key"))
        .containsExactly("tasker worker: --curve-key-file: " + dir + "/missing.key cannot be read (no such file)");
  }

  /** Runs {@code tasker} as main does, with arguments it must refuse (exit 2): the lines it printed. */
  private static List<String> taskerErrors(String... arguments) {
    StringWriter err = new StringWriter();
    int status = TaskerCli.commandLine().setErr(new PrintWriter(err)).execute(arguments);
    assertThat(status).isEqualTo(2);
    return err.toString().lines().toList();
  }

  private static String benchError(String... options) {
    return refusal(new BenchCommand(), options);
  }

  /** Runs a command that must refuse its arguments (exit 2) and returns what it printed. */
  private static String refusal(Object command, String... arguments) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(command)
        .setErr(new PrintWriter(err))
        .setExecutionExceptionHandler((exception, line, parseResult) -> {
          line.getErr().println(exception.getMessage());
          return 2;
        });
    int status = commandLine.execute(arguments);
    assertThat(status).isEqualTo(2);
    return err.toString();
  }
}
