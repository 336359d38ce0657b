package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.ApiHttp.Answer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad requests: each is answered with an RFC 9457 problem of the right type naming the fault, and
 * none changes the database (a fingerprint of every table the API can write is the same after).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiBadRequestsIT {

  private static final String OPERATE = "operate-token-0123456789abcdef";
  private static final String READ = "read-token-0123456789abcdef";
  private static final List<String> TABLES = List.of("namespaces", "named_tasks", "tasks", "workflow_steps",
      "step_edges", "task_transitions", "workflow_step_transitions", "dead_letters", "step_execution_batches",
      "step_execution_batch_steps", "step_execution_batch_received_results", "step_execution_batch_transitions");

  private TaskerTestSystem system;
  private ApiHttp api;
  private OpenApiSchemas schemas;
  private String finishedTask;
  private String completeStep;
  private String fingerprint;

  /** A request, the status and problem type expected, and words the detail must contain. */
  record Bad(String name, String method, String path, String body, String contentType, String token, int status,
      String type, String detailContains) {}

  @BeforeAll
  void start() throws Exception {
    system = TaskerTestSystem.start(OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .httpEndpoint("127.0.0.1:0").apiTokens(List.of(READ), List.of(OPERATE)).build());
    system.worker(TestHandlers.all(), 4);
    api = new ApiHttp(system.orchestrator().httpUrl().orElseThrow());
    schemas = new OpenApiSchemas(api);
    CreatedTask task = system.submit("linear", java.util.Map.of("start", 1));
    TaskSnapshot done = system.awaitFinished(task.taskId());
    finishedTask = task.taskId().toString();
    completeStep = done.step("first").orElseThrow().stepId().toString();
    fingerprint = settledFingerprint();
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private List<Bad> badRequests() {
    String unknownId = UUID.randomUUID().toString();
    String huge = "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"pad\":\"" + "x".repeat(1_100_000) + "\"}}";
    StringBuilder tooMany = new StringBuilder("{\"tasks\":[");
    for (int i = 0; i < 1001; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"namespace\":\"tests\",\"name\":\"linear\"}");
    }
    tooMany.append("]}");
    String json = "application/json";
    return List.of(
        post("truncated JSON", "/v1/tasks", "{\"namespace\":", 400, "malformed-json", "not valid JSON"),
        post("empty body", "/v1/tasks", "", 400, "malformed-json", "empty"),
        post("trailing garbage", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\"} x", 400, "malformed-json",
            "not valid JSON"),
        post("two JSON values", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\"} {}", 400,
            "malformed-json", "more than one JSON value"),
        post("duplicate key", "/v1/tasks", "{\"namespace\":\"tests\",\"namespace\":\"x\",\"name\":\"linear\"}", 400,
            "malformed-json", "Duplicate field 'namespace'"),
        post("an array body", "/v1/tasks", "[]", 400, "invalid-request", "must be a JSON object"),
        post("a string body", "/v1/tasks", "\"tests\"", 400, "invalid-request", "must be a JSON object"),
        post("no namespace", "/v1/tasks", "{\"name\":\"linear\"}", 400, "invalid-request", "$.namespace is required"),
        post("no name", "/v1/tasks", "{\"namespace\":\"tests\"}", 400, "invalid-request", "$.name is required"),
        post("blank namespace", "/v1/tasks", "{\"namespace\":\" \",\"name\":\"linear\"}", 400, "invalid-request",
            "$.namespace must not be blank"),
        post("numeric namespace", "/v1/tasks", "{\"namespace\":5,\"name\":\"linear\"}", 400, "invalid-request",
            "$.namespace must be a string"),
        post("numeric version", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"version\":1}", 400,
            "invalid-request", "$.version must be a string"),
        post("priority as text", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"priority\":\"high\"}",
            400, "invalid-request", "$.priority must be a whole number"),
        post("fractional priority", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"priority\":1.5}",
            400, "invalid-request", "$.priority must be"),
        post("priority out of range", "/v1/tasks",
            "{\"namespace\":\"tests\",\"name\":\"linear\",\"priority\":99999999999}", 400, "invalid-request",
            "$.priority must be"),
        post("unknown field", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"contxt\":{}}", 400,
            "invalid-request", "$.contxt is not a known field"),
        post("context as array", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":[1]}", 400,
            "invalid-request", "$.context must be a JSON object"),
        post("context as text", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":\"x\"}", 400,
            "invalid-request", "$.context must be a JSON object"),
        post("idempotency key too long", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\","
            + "\"idempotency_key\":\"" + "k".repeat(300) + "\"}", 400, "invalid-request", "$.idempotency_key must be at most"),
        post("unknown template", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"no_such\"}", 404, "unknown-template",
            "no_such"),
        post("unknown version", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"version\":\"9.9.9\"}", 404,
            "unknown-template", "9.9.9"),
        post("context missing a required property", "/v1/tasks",
            "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{}}", 422, "invalid-context", "start"),
        post("context property of the wrong type", "/v1/tasks",
            "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":\"one\"}}", 422, "invalid-context",
            "$.start"),
        new Bad("text/plain body", "POST", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\"}", "text/plain",
            OPERATE, 415, "unsupported-media-type", "text/plain"),
        new Bad("no content type", "POST", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\"}", null, OPERATE,
            415, "unsupported-media-type", "missing"),
        post("a body over 1 MiB", "/v1/tasks", huge, 413, "payload-too-large", "1 MiB"),
        post("bulk without tasks", "/v1/tasks/bulk", "{}", 400, "invalid-request", "$.tasks is required"),
        post("bulk with no task", "/v1/tasks/bulk", "{\"tasks\":[]}", 400, "invalid-request", "at least one"),
        post("bulk tasks as an object", "/v1/tasks/bulk", "{\"tasks\":{}}", 400, "invalid-request",
            "$.tasks must be an array"),
        post("bulk of 1,001 tasks", "/v1/tasks/bulk", tooMany.toString(), 413, "payload-too-large", "at most 1000"),
        post("bulk entry without a name", "/v1/tasks/bulk", "{\"tasks\":[{\"namespace\":\"tests\",\"name\":\"linear\","
            + "\"context\":{\"start\":5}},{\"namespace\":\"tests\"}]}", 400, "invalid-request", "$.tasks[1].name is required"),
        post("bulk entry with an unknown field", "/v1/tasks/bulk", "{\"tasks\":[{\"namespace\":\"tests\","
            + "\"name\":\"linear\",\"colour\":1}]}", 400, "invalid-request", "$.tasks[0].colour is not a known field"),
        post("bulk entry with an invalid context", "/v1/tasks/bulk", "{\"tasks\":[{\"namespace\":\"tests\","
            + "\"name\":\"linear\",\"context\":{\"start\":7}},{\"namespace\":\"tests\",\"name\":\"linear\"}]}", 422,
            "invalid-context", "request 1 of the list"),
        get("task id that is not a UUID", "/v1/tasks/not-a-uuid", 400, "invalid-request", "task_id must be a UUID"),
        get("unknown task", "/v1/tasks/" + unknownId, 404, "not-found", unknownId),
        get("unknown task state filter", "/v1/tasks?state=done", 400, "invalid-request", "'done' is not a task state"),
        get("limit of 0", "/v1/tasks?limit=0", 400, "invalid-request", "limit must be a whole number from 1 to 500"),
        get("limit not a number", "/v1/tasks?limit=ten", 400, "invalid-request", "limit must be a whole number"),
        get("cursor not a UUID", "/v1/tasks?after=yesterday", 400, "invalid-request", "after must be"),
        get("misspelt filter", "/v1/tasks?sate=complete", 400, "invalid-request", "'sate' is not known"),
        post("cancel an unknown task", "/v1/tasks/" + unknownId + "/cancel", null, 404, "not-found", unknownId),
        post("cancel a finished task", "/v1/tasks/" + finishedTask + "/cancel", null, 409, "operation-not-applicable",
            "cannot be cancelled"),
        post("cancel with an unknown field", "/v1/tasks/" + finishedTask + "/cancel", "{\"force\":true}", 400,
            "invalid-request", "$.force is not a known field"),
        get("unknown step", "/v1/steps/" + unknownId, 404, "not-found", unknownId),
        post("retry an unknown step", "/v1/steps/" + unknownId + "/retry", null, 404, "not-found", unknownId),
        post("retry a complete step", "/v1/steps/" + completeStep + "/retry", null, 409, "operation-not-applicable",
            "complete"),
        post("resolve without output", "/v1/steps/" + completeStep + "/resolve", "{}", 400, "invalid-request",
            "$.output is required"),
        post("resolve with an array output", "/v1/steps/" + completeStep + "/resolve", "{\"output\":[1]}", 400,
            "invalid-request", "$.output must be a JSON object"),
        post("resolve a complete step", "/v1/steps/" + completeStep + "/resolve", "{\"output\":{\"v\":1}}", 409,
            "operation-not-applicable", "complete"),
        post("resolve with malformed JSON", "/v1/steps/" + completeStep + "/resolve", "{\"output\":", 400,
            "malformed-json", "not valid JSON"),
        get("dead letters open=maybe", "/v1/dead-letters?open=maybe", 400, "invalid-request", "open must be true or false"),
        get("dead letters limit 501", "/v1/dead-letters?limit=501", 400, "invalid-request", "from 1 to 500"),
        get("unknown template by name", "/v1/templates/tests/no_such", 404, "unknown-template", "tests/no_such"),
        get("unknown template version", "/v1/templates/tests/linear?version=9.9.9", 404, "unknown-template",
            "stored versions: [1.0.0]"),
        get("unknown route", "/v1/no-such-thing", 404, "not-found", "no route GET /v1/no-such-thing"),
        new Bad("DELETE on the task list", "DELETE", "/v1/tasks", null, null, OPERATE, 405, "method-not-allowed",
            "DELETE is not allowed on /v1/tasks"),
        new Bad("PUT on a task", "PUT", "/v1/tasks/" + finishedTask, "{}", json, OPERATE, 405, "method-not-allowed",
            "PUT"),
        new Bad("no token", "GET", "/v1/tasks", null, null, null, 401, "unauthorized", "Authorization: Bearer"),
        new Bad("a wrong token", "GET", "/v1/tasks", null, null, "not-a-configured-token-000", 401, "unauthorized",
            "not one of the configured"),
        new Bad("a Basic authorization", "GET", "/v1/tasks", null, null, "Basic dXNlcjpwYXNz", 401, "unauthorized",
            "must be Bearer"),
        new Bad("no token on /metrics", "GET", "/metrics", null, null, null, 401, "unauthorized", "Bearer"),
        new Bad("a read token creating a task", "POST", "/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\","
            + "\"context\":{\"start\":9}}", json, READ, 403, "forbidden", "needs an operate token"),
        new Bad("a read token cancelling", "POST", "/v1/tasks/" + finishedTask + "/cancel", null, null, READ, 403,
            "forbidden", "operate"));
  }

  private static Bad post(String name, String path, String body, int status, String type, String detail) {
    return new Bad(name, "POST", path, body, body == null ? null : "application/json", OPERATE, status, type, detail);
  }

  private static Bad get(String name, String path, int status, String type, String detail) {
    return new Bad(name, "GET", path, null, null, OPERATE, status, type, detail);
  }

  @TestFactory
  Stream<DynamicTest> each_bad_request_gets_a_problem_naming_the_fault_and_the_database_is_unchanged() {
    List<Bad> bad = badRequests();
    assertThat(bad).hasSizeGreaterThanOrEqualTo(40);
    List<DynamicTest> tests = new ArrayList<>();
    for (Bad request : bad) {
      tests.add(DynamicTest.dynamicTest(request.name(), () -> {
        Answer answer = api.send(request.method(), request.path(), request.body(), request.contentType(),
            request.token());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(request.status());
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode problem = answer.json();
        schemas.assertValid("Problem", problem);
        assertThat(problem.get("type").asText()).isEqualTo("urn:tasker:problem:" + request.type());
        assertThat(problem.get("status").asInt()).isEqualTo(request.status());
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(request.detailContains());
      }));
    }
    tests.add(DynamicTest.dynamicTest("the database is unchanged", () ->
        assertThat(settledFingerprint()).isEqualTo(fingerprint)));
    return tests.stream();
  }

  /** The fingerprint once two readings 300 ms apart agree (a batch completion may still be arriving). */
  private String settledFingerprint() throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String previous = fingerprintNow();
    while (System.nanoTime() < deadline) {
      Thread.sleep(300);
      String now = fingerprintNow();
      if (now.equals(previous)) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private String fingerprintNow() throws SQLException {
    StringBuilder all = new StringBuilder();
    try (java.sql.Connection connection = system.tasker.dataSource().getConnection();
        java.sql.Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        try (java.sql.ResultSet rs = statement.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text,"
            + " ',' ORDER BY t::text)), '') FROM tasker." + table + " t")) {
          rs.next();
          all.append(table).append('=').append(rs.getString(1)).append('\n');
        }
      }
    }
    return all.toString();
  }
}
