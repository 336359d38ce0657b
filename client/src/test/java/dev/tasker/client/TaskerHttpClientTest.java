package dev.tasker.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskerHttpClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final UUID TASK = UUID.fromString("0193a1b2-0000-7000-8000-000000000001");
  private static final UUID STEP = UUID.fromString("0193a1b2-0000-7000-8000-000000000002");

  private StubApi api;
  private TaskerHttpClient client;

  @BeforeEach
  void startStub() throws Exception {
    api = new StubApi();
    client = TaskerHttpClient.builder(api.url() + "/").token("s3cret").build();
  }

  @AfterEach
  void stopStub() {
    api.close();
  }

  @Test
  void createSendsOnlyTheFieldsGivenInSnakeCaseWithTheBearerToken() throws Exception {
    api.answer("POST /v1/tasks", 201,
        "{\"task_id\":\"" + TASK + "\",\"created\":true,\"step_count\":4,\"template\":\"examples/diamond:1.0.0\"}");

    CreatedTask created = client.createTask(NewTask.builder("examples", "diamond")
        .context(Map.of("n", 6)).idempotencyKey("order-1234").build());

    assertThat(created).isEqualTo(new CreatedTask(TASK, true, 4, "examples/diamond:1.0.0"));
    StubApi.Request request = api.last();
    assertThat(request.authorization()).isEqualTo("Bearer s3cret");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree(
        "{\"namespace\":\"examples\",\"name\":\"diamond\",\"context\":{\"n\":6},\"idempotency_key\":\"order-1234\"}"));
  }

  @Test
  void aClientWithoutATokenSendsNoAuthorizationHeader() {
    api.answer("GET /v1/workers", 200, "{\"workers\":[]}");

    TaskerHttpClient anonymous = TaskerHttpClient.builder(api.url()).token("  ").build();

    assertThat(anonymous.workers()).isEmpty();
    assertThat(api.last().authorization()).isNull();
  }

  @Test
  void aTaskIsReadWithItsStepsAndEdgesAndFieldsTheClientDoesNotKnowAreIgnored() {
    api.answer("GET /v1/tasks/" + TASK, 200, """
        {"task_id":"%s","template":"examples/diamond:1.0.0","namespace":"examples","name":"diamond",
         "version":"1.0.0","state":"complete","context":{"n":6},"priority":2,
         "created_at":"2026-12-02T15:04:05.123Z","completed_at":"2026-12-02T15:04:06Z","added_later":1,
         "steps":[{"step_id":"%s","name":"start","handler":"diamond_start","state":"complete","attempts":1,
                   "max_attempts":3,"output":{"square":36},"last_error":null,"next_attempt_at":null,
                   "depends_on":[]}],
         "edges":[{"from":"start","to":"left"}]}
        """.formatted(TASK, STEP));

    Task task = client.task(TASK).orElseThrow();

    assertThat(task.state()).isEqualTo("complete");
    assertThat(task.finished()).isTrue();
    assertThat(task.priority()).isEqualTo(2);
    assertThat(task.context().path("n").asInt()).isEqualTo(6);
    assertThat(task.createdAt()).isEqualTo(Instant.parse("2026-12-02T15:04:05.123Z"));
    assertThat(task.edges()).containsExactly(new Task.Edge("start", "left"));
    Step start = task.step("start").orElseThrow();
    assertThat(start.stepId()).isEqualTo(STEP);
    assertThat(start.maxAttempts()).isEqualTo(3);
    assertThat(start.output().path("square").asInt()).isEqualTo(36);
    assertThat(start.lastError()).isNull();
    assertThat(start.batches()).isEmpty();
  }

  @Test
  void aTaskTheApiDoesNotKnowIsEmpty() {
    assertThat(client.task(TASK)).isEmpty();
    assertThat(api.last().path()).isEqualTo("/v1/tasks/" + TASK);
  }

  @Test
  void aProblemBecomesAnExceptionCarryingEveryField() {
    api.problem("POST /v1/tasks", 422, """
        {"type":"urn:tasker:problem:invalid-context","title":"Task context is invalid","status":422,
         "detail":"context does not match: $.order_id: is missing but it is required","instance":"/v1/tasks",
         "errors":[{"pointer":"$.order_id","message":"is missing but it is required"}]}
        """);

    assertThatThrownBy(() -> client.createTask(NewTask.builder("orders", "fulfil").build()))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.type()).isEqualTo("urn:tasker:problem:invalid-context");
          assertThat(e.kind()).isEqualTo("invalid-context");
          assertThat(e.title()).isEqualTo("Task context is invalid");
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.detail()).contains("$.order_id");
          assertThat(e.instance()).isEqualTo("/v1/tasks");
          assertThat(e.errors()).containsExactly(new ProblemError("$.order_id", "is missing but it is required"));
          assertThat(e.getMessage()).startsWith("422 urn:tasker:problem:invalid-context: context does not match");
        });
  }

  @Test
  void aNotFoundOtherThanOfTheTaskItselfIsNotTakenForAMissingTask() {
    api.problem("POST /v1/tasks", 404,
        "{\"type\":\"urn:tasker:problem:unknown-template\",\"title\":\"Unknown template\",\"status\":404}");
    api.problem("GET /v1/tasks/" + TASK, 401,
        "{\"type\":\"urn:tasker:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401}");

    assertThatThrownBy(() -> client.createTask(NewTask.builder("nope", "nope").build()))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.kind()).isEqualTo("unknown-template");
          assertThat(e.detail()).isNull();
          assertThat(e.getMessage()).isEqualTo("404 urn:tasker:problem:unknown-template: Unknown template");
        });
    assertThatThrownBy(() -> client.task(TASK))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void anErrorThatIsNotAProblemKeepsItsStatusAndTheStartOfItsBody() {
    api.answerRaw("GET /v1/workers", 502, "text/html", "<html>bad gateway</html>" + "x".repeat(500));

    assertThatThrownBy(() -> client.workers())
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.type()).isEqualTo("about:blank");
          assertThat(e.status()).isEqualTo(502);
          assertThat(e.detail()).startsWith("<html>bad gateway</html>").hasSize(200);
          assertThat(e.instance()).isEqualTo("/v1/workers");
        });
  }

  @Test
  void aSuccessfulAnswerThatIsNotTheExpectedJsonIsReportedAsSuch() {
    api.answerRaw("GET /v1/workers", 200, "text/plain", "hello");

    assertThatThrownBy(() -> client.workers())
        .isExactlyInstanceOf(TaskerClientException.class)
        .hasMessageContaining("/v1/workers answered 200 with a body that is not the expected");
  }

  @Test
  void noAnswerIsAnUnreachableException() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    TaskerHttpClient nowhere = TaskerHttpClient.builder("http://127.0.0.1:" + closedPort)
        .connectTimeout(Duration.ofSeconds(2)).build();

    assertThatThrownBy(() -> nowhere.task(TASK))
        .isInstanceOf(TaskerUnreachableException.class)
        .hasMessageStartingWith("GET http://127.0.0.1:" + closedPort + "/v1/tasks/" + TASK + " got no answer");
  }

  @Test
  void tasksSendsTheFiltersAndPageAndGivesTheNextPage() {
    api.answer("GET /v1/tasks", 200, """
        {"tasks":[{"task_id":"%s","template":"examples/diamond:1.0.0","namespace":"examples","name":"diamond",
                   "version":"1.0.0","state":"error","priority":0,"created_at":"2026-12-02T15:04:05Z",
                   "completed_at":null,"total_steps":4,"done_steps":2}],
         "next":"cursor-1"}
        """.formatted(TASK));

    Page first = Page.first(1);
    TaskPage page = client.tasks(TaskFilter.all().withState("error").withTemplate("examples", null), first);

    assertThat(api.last().query()).isEqualTo("state=error&namespace=examples&limit=1");
    assertThat(page.tasks()).singleElement().satisfies(t -> {
      assertThat(t.taskId()).isEqualTo(TASK);
      assertThat(t.totalSteps()).isEqualTo(4);
      assertThat(t.doneSteps()).isEqualTo(2);
      assertThat(t.completedAt()).isNull();
    });
    Page second = page.nextPage(first).orElseThrow();
    assertThat(second).isEqualTo(new Page(1, "cursor-1"));
    client.tasks(TaskFilter.all(), second);
    assertThat(api.last().query()).isEqualTo("limit=1&after=cursor-1");
  }

  @Test
  void bulkCreateSendsTheRequestsInOrderAndReadsOneAnswerEach() throws Exception {
    api.answer("POST /v1/tasks/bulk", 200, """
        {"tasks":[{"task_id":"%s","created":true,"step_count":4,"template":"examples/diamond:1.0.0"},
                  {"task_id":"%s","created":false,"step_count":4,"template":"examples/diamond:1.0.0"}]}
        """.formatted(TASK, STEP));

    List<CreatedTask> created = client.createTasks(List.of(
        NewTask.builder("examples", "diamond").context(Map.of("n", 1)).build(),
        NewTask.builder("examples", "diamond").version("1.0.0").priority(3).build()));

    assertThat(created).extracting(CreatedTask::created).containsExactly(true, false);
    assertThat(JSON.readTree(api.last().body())).isEqualTo(JSON.readTree("""
        {"tasks":[{"namespace":"examples","name":"diamond","context":{"n":1}},
                  {"namespace":"examples","name":"diamond","version":"1.0.0","priority":3}]}
        """));
  }

  @Test
  void theOperatorActionsPostToTheirPathsAndReadWhatChanged() throws Exception {
    String step = "{\"step_id\":\"" + STEP + "\",\"task_id\":\"" + TASK + "\",\"name\":\"left\",\"handler\":\"h\","
        + "\"state\":\"%s\",\"attempts\":0,\"max_attempts\":3,\"depends_on\":[\"start\"],\"input\":{\"n\":6},"
        + "\"batches\":[{\"batch_id\":\"" + TASK + "\",\"worker_id\":\"w-1\",\"orchestrator_id\":\"o-1\","
        + "\"state\":\"completed\",\"created_at\":\"2026-12-02T15:04:05Z\",\"outcome\":\"failed\"}]}";
    api.answer("POST /v1/steps/" + STEP + "/retry", 200, step.formatted("pending"));
    api.answer("POST /v1/steps/" + STEP + "/resolve", 200, step.formatted("resolved_manually"));
    api.answer("POST /v1/tasks/" + TASK + "/cancel", 200,
        "{\"task_id\":\"" + TASK + "\",\"state\":\"cancelled\",\"steps\":[],\"edges\":[]}");

    Step retried = client.retryStep(STEP);
    assertThat(api.last().body()).isEmpty();
    Step resolved = client.resolveStep(STEP, Map.of("total", 5));
    assertThat(JSON.readTree(api.last().body())).isEqualTo(JSON.readTree("{\"output\":{\"total\":5}}"));
    Task cancelled = client.cancelTask(TASK);

    assertThat(retried.state()).isEqualTo("pending");
    assertThat(retried.dependsOn()).containsExactly("start");
    assertThat(retried.batches()).singleElement().satisfies(b -> {
      assertThat(b.workerId()).isEqualTo("w-1");
      assertThat(b.outcome()).isEqualTo("failed");
    });
    assertThat(resolved.state()).isEqualTo("resolved_manually");
    assertThat(resolved.input().path("n").asInt()).isEqualTo(6);
    assertThat(cancelled.finished()).isTrue();
    assertThat(api.requests).extracting(StubApi.Request::method).containsOnly("POST");
  }

  @Test
  void deadLettersAskForOpenOnesOrAllUpToTheLimit() {
    api.answer("GET /v1/dead-letters", 200, """
        {"dead_letters":[{"dead_letter_id":7,"step_id":"%s","task_id":"%s","step_name":"charge",
          "reason":"permanent_failure","attempts":1,"last_error":{"error_type":"card_declined","message":"no"},
          "created_at":"2026-12-02T15:04:05Z","resolved_at":null,"resolution":null}]}
        """.formatted(STEP, TASK));

    List<DeadLetter> open = client.deadLetters(true, 100);
    assertThat(api.last().query()).isEqualTo("open=true&limit=100");
    client.deadLetters(false, 5);
    assertThat(api.last().query()).isEqualTo("open=false&limit=5");

    assertThat(open).singleElement().satisfies(letter -> {
      assertThat(letter.deadLetterId()).isEqualTo(7);
      assertThat(letter.stepName()).isEqualTo("charge");
      assertThat(letter.lastError().path("error_type").asText()).isEqualTo("card_declined");
      assertThat(letter.resolvedAt()).isNull();
    });
  }

  @Test
  void awaitFinishedPollsUntilEveryTaskHasFinishedOrTheTimeoutPasses() throws Exception {
    api.answer("GET /v1/tasks/" + TASK, 200, "{\"task_id\":\"" + TASK + "\",\"state\":\"in_progress\"}");

    assertThat(client.awaitFinished(List.of(TASK), Duration.ofMillis(150), Duration.ofMillis(20))).isFalse();
    int polls = api.requests.size();
    assertThat(polls).isGreaterThan(2);

    api.answer("GET /v1/tasks/" + TASK, 200, "{\"task_id\":\"" + TASK + "\",\"state\":\"error\"}");
    assertThat(client.awaitFinished(List.of(TASK, TASK), Duration.ofSeconds(5), Duration.ofMillis(20))).isTrue();
    assertThat(api.requests).hasSize(polls + 1);
  }

  @Test
  void awaitFinishedOnATaskThatDoesNotExistSaysSo() {
    assertThatThrownBy(() -> client.awaitFinished(List.of(TASK), Duration.ofSeconds(1), Duration.ofMillis(10)))
        .isInstanceOfSatisfying(TaskerApiException.class, e -> {
          assertThat(e.kind()).isEqualTo("not-found");
          assertThat(e.detail()).isEqualTo("no task " + TASK);
        });
  }

  @Test
  void workersAndTemplatesAreRead() {
    api.answer("GET /v1/workers", 200, """
        {"workers":[{"worker_id":"w-1","language":"ruby","sdk_version":"0.1.0","state":"active",
          "handlers":["a","b"],"concurrency":8,"last_heartbeat_at":"2026-12-02T15:04:05Z"}]}
        """);
    api.answer("GET /v1/templates", 200, """
        {"templates":[{"namespace":"examples","name":"diamond","version":"1.0.0","step_count":4}]}
        """);

    assertThat(client.workers()).singleElement().satisfies(w -> {
      assertThat(w.language()).isEqualTo("ruby");
      assertThat(w.handlers()).containsExactly("a", "b");
      assertThat(w.concurrency()).isEqualTo(8);
    });
    assertThat(client.templates()).extracting(TemplateSummary::fullName).containsExactly("examples/diamond:1.0.0");
  }

  @Test
  void theBuilderNamesWhatIsWrongAndTheTokenIsNeverShown() {
    assertThatThrownBy(() -> TaskerHttpClient.builder("127.0.0.1:8080"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl must be an http or https URL");
    assertThatThrownBy(() -> TaskerHttpClient.builder("http://h").requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be > 0 ms but was 0 ms");
    assertThatThrownBy(() -> TaskerHttpClient.builder("http://h").connectTimeout(Duration.ofMillis(-1)))
        .hasMessage("connectTimeout must be > 0 ms but was -1 ms");

    assertThat(client.toString()).doesNotContain("s3cret").contains(api.url());
    assertThat(client.baseUrl()).isEqualTo(api.url());
  }

  @Test
  void aResolutionWithoutOutputSendsAnEmptyObject() throws Exception {
    api.answer("POST /v1/steps/" + STEP + "/resolve", 200, "{\"step_id\":\"" + STEP + "\",\"state\":\"resolved_manually\"}");

    client.resolveStep(STEP, null);

    JsonNode sent = JSON.readTree(api.last().body());
    assertThat(sent).isEqualTo(JSON.readTree("{\"output\":{}}"));
  }
}
