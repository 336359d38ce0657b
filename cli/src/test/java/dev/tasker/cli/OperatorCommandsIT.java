package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.StepWorker;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands as processes, through the HTTP API ({@code --api}, a token from the
 * environment or {@code --token}) and on the database (TASKER_DATABASE_URL), against one real
 * orchestrator: the same work done, the same lines printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorCommandsIT {

  private static final String READ = "cli-it-read-0123456789";
  private static final String OPERATE = "cli-it-operate-0123456789";
  private static final Pattern SUBMITTED =
      Pattern.compile("submit: task=([0-9a-f-]{36}) template=cli_it/checkout:1\\.0\\.0 steps=2");
  private static final Set<Integer> DECLINING = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger ORDERS = new AtomicInteger((int) (System.nanoTime() % 100_000) + 1);

  @TempDir Path dir;
  private TestOrchestrator tasker;
  private StepWorker worker;
  private String api;
  private String database;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  void start() {
    TemplateRegistry templates = TemplateRegistry.fromResources(getClass().getClassLoader(),
        List.of("templates/cli_it_checkout.yaml", "templates/cli_it_unserved.yaml"), null);
    tasker = TestOrchestrator.start(templates, OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .httpEndpoint("127.0.0.1:0").apiTokens(List.of(READ), List.of(OPERATE)).build());
    StepHandler charge = context -> {
      int order = context.taskContext().path("order_id").asInt();
      return DECLINING.contains(order)
          ? StepResult.permanentFailure("card_declined", "order " + order + " declined")
          : StepResult.success(Map.of("charged", order));
    };
    worker = StepWorker.builder().endpoint(tasker.endpoint()).handler("cli_it.charge", charge)
        .handler("cli_it.ship", context -> StepResult.success(Map.of("shipped", true))).build().start();
    api = tasker.orchestrator().httpUrl().orElseThrow();
    database = tasker.database().jdbcUrl();
  }

  @AfterAll
  void stop() {
    worker.close();
    tasker.close();
  }

  private Run throughApi(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--api");
    all.add(api);
    return run(Map.of("TASKER_API_TOKEN", OPERATE), all);
  }

  private Run onDatabase(String... args) throws Exception {
    return run(Map.of("TASKER_DATABASE_URL", database), List.of(args));
  }

  private Run run(Map<String, String> environment, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), TaskerCli.class.getName()));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().keySet().removeAll(Set.of("TASKER_API_URL", "TASKER_API_TOKEN", "TASKER_DATABASE_URL"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("tasker %s finished", args).isTrue();
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String submittedTask(Run run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    Matcher matcher = SUBMITTED.matcher(run.out());
    assertThat(matcher.find()).as(run.out()).isTrue();
    return matcher.group(1);
  }

  private static String order(int order) {
    return "{\"order_id\":" + order + "}";
  }

  @Test
  void submitAndStatusPrintTheSameLinesThroughTheApiAsOnTheDatabase() throws Exception {
    Run viaApi = throughApi("submit", "--namespace", "cli_it", "--name", "checkout", "--context",
        order(ORDERS.incrementAndGet()), "--wait-seconds", "20");
    Run viaDatabase = onDatabase("submit", "--namespace", "cli_it", "--name", "checkout", "--context",
        order(ORDERS.incrementAndGet()), "--wait-seconds", "20");

    String apiTask = submittedTask(viaApi);
    String databaseTask = submittedTask(viaDatabase);
    assertThat(viaApi.out()).contains("submit: task=" + apiTask + " state=complete");
    assertThat(viaDatabase.out()).contains("submit: task=" + databaseTask + " state=complete");
    for (String task : List.of(apiTask, databaseTask)) {
      Run status = throughApi("status", "--task", task);
      assertThat(status.exit()).as(status.toString()).isZero();
      assertThat(status.out()).contains("task " + task + " cli_it/checkout:1.0.0 state=complete")
          .containsPattern("  charge +complete +attempts=1/\\d+ result=\\{\"charged\":\\d+}");
      assertThat(status.out()).isEqualTo(onDatabase("status", "--task", task).out());
    }
  }

  @Test
  void aDeadLetterIsListedRetriedAndResolvedThroughTheApi() throws Exception {
    int retried = ORDERS.incrementAndGet();
    int resolved = ORDERS.incrementAndGet();
    DECLINING.addAll(List.of(retried, resolved));
    String retriedTask = submittedTask(throughApi("submit", "--namespace", "cli_it", "--name", "checkout",
        "--context", order(retried), "--wait-seconds", "20"));
    String resolvedTask = submittedTask(throughApi("submit", "--namespace", "cli_it", "--name", "checkout",
        "--context", order(resolved), "--wait-seconds", "20"));

    Run letters = throughApi("dead-letters");
    assertThat(letters.exit()).as(letters.toString()).isZero();
    assertThat(letters.out()).isEqualTo(onDatabase("dead-letters").out());
    String retriedStep = stepOf(letters.out(), retriedTask);
    String resolvedStep = stepOf(letters.out(), resolvedTask);
    assertThat(letters.out()).contains("reason=permanent_failure attempts=1")
        .contains("error=card_declined: order " + retried + " declined");

    DECLINING.remove(retried);
    Run retry = throughApi("retry-step", "--step", retriedStep);
    Run resolve = throughApi("resolve-step", "--step", resolvedStep, "--output", "{\"charged\":0}");

    assertThat(retry.out()).isEqualTo("retry-step: step=" + retriedStep + " is pending again\n");
    assertThat(resolve.out()).isEqualTo("resolve-step: step=" + resolvedStep + " is resolved_manually\n");
    assertThat(tasker.awaitFinished(UUID.fromString(retriedTask), java.time.Duration.ofSeconds(20)).state().dbName())
        .isEqualTo("complete");
    assertThat(tasker.awaitFinished(UUID.fromString(resolvedTask), java.time.Duration.ofSeconds(20)).state().dbName())
        .isEqualTo("complete");
    Run all = throughApi("dead-letters", "--all");
    assertThat(all.out()).contains("step=" + retriedStep).contains("resolved=retried@")
        .contains("step=" + resolvedStep).contains("resolved=resolved_manually@");
    assertThat(all.out()).isEqualTo(onDatabase("dead-letters", "--all").out());
    Run again = throughApi("retry-step", "--step", retriedStep);
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).startsWith("tasker retry-step: 409 urn:tasker:problem:operation-not-applicable");
  }

  @Test
  void cancelTaskGoesThroughTheApiWithTheTokenGivenAndARefusalSaysWhy() throws Exception {
    String task = tasker.submit(dev.tasker.orchestrator.TaskRequest.builder("cli_it", "unserved")
        .idempotencyKey("unserved-" + UUID.randomUUID()).build()).taskId().toString();

    Run readOnly = run(Map.of(), List.of("cancel-task", "--task", task, "--api", api, "--token", READ));
    Run cancel = run(Map.of("TASKER_API_URL", api), List.of("cancel-task", "--task", task, "--token", OPERATE));
    Run again = throughApi("cancel-task", "--task", task);

    assertThat(readOnly.exit()).isEqualTo(2);
    assertThat(readOnly.err()).contains("403 urn:tasker:problem:forbidden");
    assertThat(cancel.exit()).as(cancel.toString()).isZero();
    assertThat(cancel.out()).isEqualTo("cancel-task: task=" + task + " is cancelled\n");
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("operation-not-applicable");
    assertThat(throughApi("status", "--task", task).out()).contains("state=cancelled");
  }

  @Test
  void statusThroughTheApiCountsTasksAndStepsAndListsTheWorkerButHasNoDiscrepancies() throws Exception {
    Run status = throughApi("status");
    Run discrepancies = throughApi("status", "--discrepancies");
    Run missing = throughApi("status", "--task", UUID.randomUUID().toString());
    Run nowhere = run(Map.of(), List.of("dead-letters"));
    Run submitWithTemplates = throughApi("submit", "--namespace", "cli_it", "--name", "checkout", "--templates", ".");

    assertThat(status.exit()).as(status.toString()).isZero();
    assertThat(status.out()).containsPattern("(?m)^tasks: total=\\d+ .*complete=\\d+")
        .containsPattern("(?m)^steps: total=\\d+ ")
        .containsPattern("(?m)^worker: \\S+ java state=active concurrency=\\d+ last_heartbeat=\\S+ handlers=\\[");
    // Every other test here waits for its tasks to finish, so the counts hold still between the two runs.
    assertThat(status.out().lines().limit(2)).containsExactlyElementsOf(onDatabase("status").out().lines().limit(2).toList());
    assertThat(discrepancies.exit()).isEqualTo(2);
    assertThat(discrepancies.err()).contains("--discrepancies cannot be used with --api");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("tasker status: no task ");
    assertThat(nowhere.exit()).isEqualTo(2);
    assertThat(nowhere.err()).contains("tasker dead-letters needs TASKER_DATABASE_URL").contains("or --api URL");
    assertThat(submitWithTemplates.exit()).isEqualTo(2);
    assertThat(submitWithTemplates.err()).contains("--templates cannot be used with --api");
  }

  private static String stepOf(String deadLetters, String task) {
    Matcher matcher = Pattern.compile("dead-letter: step=([0-9a-f-]{36}) task=" + task).matcher(deadLetters);
    assertThat(matcher.find()).as("a dead letter of task %s in:%n%s", task, deadLetters).isTrue();
    return matcher.group(1);
  }
}
