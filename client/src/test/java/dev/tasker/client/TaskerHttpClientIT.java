package dev.tasker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.StepWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP client against a real orchestrator serving the API on a free port, with tokens and a worker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskerHttpClientIT {

  private static final String READ = "client-it-read-0123456789";
  private static final String OPERATE = "client-it-operate-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(50);

  /** Orders whose card the charge handler declines, for good, until a test takes them out. */
  private static final Set<Integer> DECLINING = ConcurrentHashMap.newKeySet();
  private static final AtomicInteger ORDERS = new AtomicInteger((int) (System.nanoTime() % 100_000) + 1);

  private TestOrchestrator tasker;
  private StepWorker worker;
  private TaskerHttpClient client;

  @BeforeAll
  void start() {
    TemplateRegistry templates = TemplateRegistry.fromResources(getClass().getClassLoader(),
        List.of("templates/client_it_checkout.yaml", "templates/client_it_unserved.yaml"), null);
    tasker = TestOrchestrator.start(templates, OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .httpEndpoint("127.0.0.1:0").apiTokens(List.of(READ), List.of(OPERATE)).build());
    StepHandler charge = context -> {
      int order = context.taskContext().path("order_id").asInt();
      return DECLINING.contains(order)
          ? StepResult.permanentFailure("card_declined", "the card of order " + order + " was declined")
          : StepResult.success(Map.of("charged", order * 10));
    };
    StepHandler ship = context -> StepResult.success(
        Map.of("shipped", true, "charged", context.previousResult("charge").path("charged").asInt()));
    worker = StepWorker.builder().endpoint(tasker.endpoint())
        .handler("client_it.charge", charge).handler("client_it.ship", ship).concurrency(4).build().start();
    client = TaskerHttpClient.builder(tasker.orchestrator().httpUrl().orElseThrow()).token(OPERATE).build();
  }

  @AfterAll
  void stop() {
    worker.close();
    tasker.close();
  }

  private static NewTask anOrder(int order) {
    return NewTask.builder("client_it", "checkout").context(Map.of("order_id", order)).build();
  }

  private Task finished(UUID taskId) throws InterruptedException {
    assertThat(client.awaitFinished(List.of(taskId), WAIT, POLL)).as("task %s finished", taskId).isTrue();
    return client.task(taskId).orElseThrow();
  }

  @Test
  void aTaskCreatedThroughTheApiRunsAndReadsBackWithItsStepsEdgesAndBatches() throws Exception {
    int order = ORDERS.incrementAndGet();
    CreatedTask created = client.createTask(anOrder(order));
    CreatedTask again = client.createTask(anOrder(order));

    assertThat(created.created()).isTrue();
    assertThat(created.stepCount()).isEqualTo(2);
    assertThat(created.template()).isEqualTo("client_it/checkout:1.0.0");
    assertThat(again).isEqualTo(new CreatedTask(created.taskId(), false, 2, "client_it/checkout:1.0.0"));
    Task task = finished(created.taskId());
    assertThat(task.state()).isEqualTo("complete");
    assertThat(task.namespace()).isEqualTo("client_it");
    assertThat(task.context().path("order_id").asInt()).isEqualTo(order);
    assertThat(task.completedAt()).isAfterOrEqualTo(task.createdAt());
    assertThat(task.edges()).containsExactly(new Task.Edge("charge", "ship"));
    Step ship = task.step("ship").orElseThrow();
    assertThat(ship.dependsOn()).containsExactly("charge");
    assertThat(ship.output().path("charged").asInt()).isEqualTo(order * 10);
    Step charge = client.step(task.step("charge").orElseThrow().stepId()).orElseThrow();
    assertThat(charge.taskId()).isEqualTo(task.taskId());
    assertThat(charge.batches()).isNotEmpty().allSatisfy(b -> assertThat(b.outcome()).isEqualTo("completed"));
  }

  @Test
  void whatTheApiRefusesArrivesAsAProblemNamingTheFault() {
    assertThatThrownBy(() -> client.createTask(NewTask.builder("client_it", "checkout").context(Map.of()).build()))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.kind()).isEqualTo("invalid-context");
          // The server points into the request body ($.context...), the missing field in the message.
          assertThat(e.errors()).anySatisfy(error -> {
            assertThat(error.pointer()).startsWith("$.context");
            assertThat(error.message()).contains("order_id");
          });
        });
    assertThatThrownBy(() -> client.createTask(NewTask.builder("client_it", "nope").build()))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.kind()).isEqualTo("unknown-template");
          assertThat(e.detail()).contains("client_it/nope");
        });
    assertThat(client.task(UUID.randomUUID())).isEmpty();
    assertThat(client.step(UUID.randomUUID())).isEmpty();
  }

  @Test
  void aReadTokenMayReadButNotCreateAndNoTokenIsUnauthorized() {
    TaskerHttpClient reader = TaskerHttpClient.builder(client.baseUrl()).token(READ).build();
    TaskerHttpClient anonymous = TaskerHttpClient.builder(client.baseUrl()).build();

    assertThat(reader.templates()).isNotEmpty();
    assertThatThrownBy(() -> reader.createTask(anOrder(ORDERS.incrementAndGet())))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> assertThat(e.kind()).isEqualTo("forbidden"));
    assertThatThrownBy(anonymous::workers)
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.kind()).isEqualTo("unauthorized");
        });
  }

  @Test
  void bulkCreatedTasksAreListedPageByPage() throws Exception {
    List<NewTask> requests = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      requests.add(anOrder(ORDERS.incrementAndGet()));
    }
    List<CreatedTask> created = client.createTasks(requests);
    assertThat(created).hasSize(5).allSatisfy(c -> assertThat(c.created()).isTrue());
    client.awaitFinished(created.stream().map(CreatedTask::taskId).toList(), WAIT, POLL);

    List<UUID> listed = new ArrayList<>();
    Page page = Page.first(2);
    TaskFilter filter = TaskFilter.all().withTemplate("client_it", "checkout").withState("complete");
    while (true) {
      TaskPage tasks = client.tasks(filter, page);
      assertThat(tasks.tasks()).hasSizeLessThanOrEqualTo(2)
          .allSatisfy(t -> assertThat(t.doneSteps()).isEqualTo(t.totalSteps()));
      tasks.tasks().forEach(t -> listed.add(t.taskId()));
      if (tasks.nextPage(page).isEmpty()) {
        break;
      }
      page = tasks.nextPage(page).get();
    }
    assertThat(listed).doesNotHaveDuplicates().containsAll(created.stream().map(CreatedTask::taskId).toList());
  }

  @Test
  void aDeclinedChargeIsADeadLetterThatARetryRunsAgain() throws Exception {
    int order = ORDERS.incrementAndGet();
    DECLINING.add(order);
    Task failed = finished(client.createTask(anOrder(order)).taskId());
    assertThat(failed.state()).isEqualTo("error");
    UUID charge = failed.step("charge").orElseThrow().stepId();
    assertThat(client.deadLetters(true, 500)).anySatisfy(letter -> {
      assertThat(letter.stepId()).isEqualTo(charge);
      assertThat(letter.reason()).isEqualTo("permanent_failure");
      assertThat(letter.lastError().path("error_type").asText()).isEqualTo("card_declined");
    });

    DECLINING.remove(order);
    Step retried = client.retryStep(charge);

    assertThat(retried.state()).isIn("pending", "in_progress", "complete");
    assertThat(finished(failed.taskId()).state()).isEqualTo("complete");
    assertThat(client.deadLetters(true, 500)).noneSatisfy(l -> assertThat(l.stepId()).isEqualTo(charge));
    assertThat(client.deadLetters(false, 500)).anySatisfy(l -> {
      assertThat(l.stepId()).isEqualTo(charge);
      assertThat(l.resolution()).isEqualTo("retried");
    });
    assertThatThrownBy(() -> client.retryStep(charge))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void aStepResolvedByHandLetsItsDependentsRunOnItsOutput() throws Exception {
    int order = ORDERS.incrementAndGet();
    DECLINING.add(order);
    Task failed = finished(client.createTask(anOrder(order)).taskId());
    UUID charge = failed.step("charge").orElseThrow().stepId();

    Step resolved = client.resolveStep(charge, Map.of("charged", 7));

    assertThat(resolved.state()).isEqualTo("resolved_manually");
    assertThat(resolved.output().path("charged").asInt()).isEqualTo(7);
    Task done = finished(failed.taskId());
    assertThat(done.state()).isEqualTo("complete");
    assertThat(done.step("ship").orElseThrow().output().path("charged").asInt()).isEqualTo(7);
  }

  @Test
  void aCancelledTaskCannotBeCancelledAgain() {
    CreatedTask created = client.createTask(NewTask.builder("client_it", "unserved").idempotencyKey(
        "unserved-" + UUID.randomUUID()).build());

    Task cancelled = client.cancelTask(created.taskId());

    assertThat(cancelled.state()).isEqualTo("cancelled");
    assertThat(cancelled.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo("cancelled"));
    assertThatThrownBy(() -> client.cancelTask(created.taskId()))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> assertThat(e.kind()).isEqualTo("operation-not-applicable"));
  }

  @Test
  void theWorkerAndTheTemplatesAreListed() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client.workers().stream().noneMatch(w -> w.state().equals("active")) && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
    }
    assertThat(client.workers()).anySatisfy(w -> {
      assertThat(w.language()).isEqualTo("java");
      assertThat(w.handlers()).contains("client_it.charge", "client_it.ship");
      assertThat(w.lastHeartbeatAt()).isNotNull();
    });
    assertThat(client.templates()).extracting(TemplateSummary::fullName)
        .contains("client_it/checkout:1.0.0", "client_it/unserved:1.0.0");
    assertThat(client.overview().path("tasks").isObject()).isTrue();
  }
}
