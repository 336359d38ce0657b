package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.ApiHttp.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every route of the HTTP API against a real orchestrator, database and worker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIT {

  static final String OPERATE = "operate-token-0123456789abcdef";
  static final String READ = "read-token-0123456789abcdef";

  private TaskerTestSystem system;
  private ApiHttp api;
  private OpenApiSchemas schemas;

  @BeforeAll
  void start() throws InterruptedException {
    TestHandlers.GATE_OPEN.set(false);
    system = TaskerTestSystem.start(OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
        .httpEndpoint("127.0.0.1:0").apiTokens(List.of(READ), List.of(OPERATE)).build());
    system.worker(TestHandlers.all(), 4);
    api = new ApiHttp(system.orchestrator().httpUrl().orElseThrow());
    schemas = new OpenApiSchemas(api);
  }

  @AfterAll
  void stop() {
    system.close();
  }

  private JsonNode awaitTask(String taskId, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode task = api.get("/v1/tasks/" + taskId, READ).json();
    while (!task.get("state").asText().equals(state) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      task = api.get("/v1/tasks/" + taskId, READ).json();
    }
    assertThat(task.get("state").asText()).as("state of task %s", taskId).isEqualTo(state);
    return task;
  }

  @Test
  void creating_a_task_answers_201_with_its_location_and_the_same_identity_again_answers_200_with_the_same_task()
      throws Exception {
    String body = "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":" + System.nanoTime() + "}}";

    Answer first = api.post("/v1/tasks", body, OPERATE);
    Answer again = api.post("/v1/tasks", body, OPERATE);

    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    schemas.assertValid("Created", first.json());
    assertThat(first.json().get("created").asBoolean()).isTrue();
    assertThat(first.json().get("step_count").asInt()).isEqualTo(3);
    assertThat(first.json().get("template").asText()).isEqualTo("tests/linear:1.0.0");
    String taskId = first.json().get("task_id").asText();
    assertThat(first.location()).isEqualTo("/v1/tasks/" + taskId);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("task_id").asText()).isEqualTo(taskId);
    assertThat(again.json().get("created").asBoolean()).isFalse();
    awaitTask(taskId, "complete");
  }

  @Test
  void an_idempotency_key_makes_a_different_context_the_same_task() {
    String key = "key-" + UUID.randomUUID();
    Answer first = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":1},"
        + "\"idempotency_key\":\"" + key + "\",\"priority\":5}", OPERATE);
    Answer second = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":2},"
        + "\"idempotency_key\":\"" + key + "\"}", OPERATE);

    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("task_id")).isEqualTo(first.json().get("task_id"));
  }

  @Test
  void a_finished_task_reads_back_with_its_steps_outputs_and_edges() throws Exception {
    long start = System.nanoTime();
    String taskId = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":"
        + start + "},\"initiator\":\"api-it\",\"reason\":\"testing\"}", OPERATE).json().get("task_id").asText();

    JsonNode task = awaitTask(taskId, "complete");

    schemas.assertValid("Task", task);
    assertThat(task.get("template").asText()).isEqualTo("tests/linear:1.0.0");
    assertThat(task.get("context").get("start").asLong()).isEqualTo(start);
    assertThat(task.get("initiator").asText()).isEqualTo("api-it");
    assertThat(task.get("completed_at").isTextual()).isTrue();
    assertThat(task.get("total_steps").asInt()).isEqualTo(3);
    assertThat(task.get("done_steps").asInt()).isEqualTo(3);
    Map<String, JsonNode> steps = new java.util.HashMap<>();
    task.get("steps").forEach(step -> steps.put(step.get("name").asText(), step));
    assertThat(steps).containsOnlyKeys("first", "second", "third");
    assertThat(steps.get("third").get("state").asText()).isEqualTo("complete");
    assertThat(steps.get("third").get("attempts").asInt()).isEqualTo(1);
    assertThat(steps.get("third").get("output").get("value").asLong()).isEqualTo(start + 3);
    assertThat(steps.get("third").get("depends_on")).extracting(JsonNode::asText).containsExactly("second");
    assertThat(steps.get("first").get("last_error").isNull()).isTrue();
    assertThat(task.get("edges").toString())
        .isEqualTo("[{\"from\":\"first\",\"to\":\"second\"},{\"from\":\"second\",\"to\":\"third\"}]");
  }

  @Test
  void bulk_creation_answers_one_entry_per_request_in_order() {
    long n = System.nanoTime();
    Answer answer = api.post("/v1/tasks/bulk", "{\"tasks\":[{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":"
        + "{\"start\":" + n + "}},{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":" + (n + 1)
        + "}},{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":" + n + "}}]}", OPERATE);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonNode tasks = answer.json().get("tasks");
    assertThat(tasks).hasSize(3);
    assertThat(tasks.get(0).get("task_id")).isEqualTo(tasks.get(2).get("task_id"));
    assertThat(tasks.get(0).get("task_id")).isNotEqualTo(tasks.get(1).get("task_id"));
  }

  @Test
  void the_task_list_pages_newest_first_without_repeating_and_filters_by_state_and_template() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":"
          + System.nanoTime() + "}}", OPERATE).json().get("task_id").asText());
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    do {
      JsonNode page = api.get("/v1/tasks?namespace=tests&name=linear&limit=2" + (after == null ? "" : "&after=" + after),
          READ).json();
      assertThat(page.get("tasks").size()).isLessThanOrEqualTo(2);
      schemas.assertValid("TaskPage", page);
      page.get("tasks").forEach(task -> seen.add(task.get("task_id").asText()));
      after = page.get("next").isNull() ? null : page.get("next").asText();
    } while (after != null);

    assertThat(new HashSet<>(seen)).hasSameSizeAs(seen).containsAll(created);
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertThat(seen.subList(0, 5)).containsExactlyElementsOf(newestFirst);
    JsonNode none = api.get("/v1/tasks?namespace=tests&name=no_such_template", READ).json();
    assertThat(none.get("tasks")).isEmpty();
    assertThat(none.get("next").isNull()).isTrue();
    JsonNode cancelled = api.get("/v1/tasks?state=cancelled,error&limit=500", READ).json();
    cancelled.get("tasks").forEach(task -> assertThat(task.get("state").asText()).isIn("cancelled", "error"));
  }

  @Test
  void a_dead_letter_is_listed_and_retrying_its_step_through_the_api_lets_the_task_complete() throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    String taskId = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"gated\",\"context\":{\"n\":\""
        + UUID.randomUUID() + "\"}}", OPERATE).json().get("task_id").asText();
    JsonNode task = awaitTask(taskId, "error");
    String gateId = stepId(task, "gate");

    JsonNode letters = api.get("/v1/dead-letters?limit=500", READ).json().get("dead_letters");
    JsonNode step = api.get("/v1/steps/" + gateId, READ).json();
    TestHandlers.GATE_OPEN.set(true);
    Answer retried = api.post("/v1/steps/" + gateId + "/retry", null, OPERATE);

    assertThat(letters.findValuesAsText("step_id")).contains(gateId);
    letters.forEach(letter -> schemas.assertValid("DeadLetter", letter));
    schemas.assertValid("StepDetail", step);
    schemas.assertValid("StepDetail", retried.json());
    assertThat(step.get("state").asText()).isEqualTo("error");
    assertThat(step.get("last_error").get("error_type").asText()).isEqualTo("gate_closed");
    assertThat(step.get("input").get("n").asText()).isNotBlank();
    assertThat(step.get("batches")).isNotEmpty();
    assertThat(step.get("batches").get(0).get("worker_id").asText()).isNotBlank();
    assertThat(step.get("batches").get(0).get("outcome").asText()).isNotBlank();
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    // Fresh attempts: 0, or already 1 when the dispatcher claimed the step before the answer was read.
    assertThat(retried.json().get("attempts").asInt()).isLessThanOrEqualTo(1);
    JsonNode done = awaitTask(taskId, "complete");
    for (JsonNode each : done.get("steps")) {
      if (each.get("name").asText().equals("gate")) {
        assertThat(each.get("attempts").asInt()).as("the gate's attempts after the retry").isEqualTo(1);
      }
    }
    assertThat(api.get("/v1/dead-letters?open=false&limit=500", READ).json().get("dead_letters").toString())
        .contains(gateId).contains("retried");
  }

  @Test
  void resolving_a_failed_step_by_hand_gives_its_dependents_the_output() throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    String taskId = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"gated\",\"context\":{\"n\":\""
        + UUID.randomUUID() + "\"}}", OPERATE).json().get("task_id").asText();
    String gateId = stepId(awaitTask(taskId, "error"), "gate");

    Answer resolved = api.post("/v1/steps/" + gateId + "/resolve", "{\"output\":{\"value\":41}}", OPERATE);

    assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
    assertThat(resolved.json().get("state").asText()).isEqualTo("resolved_manually");
    JsonNode task = awaitTask(taskId, "complete");
    assertThat(task.get("steps").findValues("output").toString()).contains("41");
  }

  @Test
  void cancelling_a_task_in_error_cancels_it() throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    String taskId = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"gated\",\"context\":{\"n\":\""
        + UUID.randomUUID() + "\"}}", OPERATE).json().get("task_id").asText();
    awaitTask(taskId, "error");

    Answer cancelled = api.post("/v1/tasks/" + taskId + "/cancel", "{}", OPERATE);

    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asText()).isEqualTo("cancelled");
    schemas.assertValid("Task", cancelled.json());
    assertThat(cancelled.json().get("steps").findValuesAsText("state")).contains("cancelled");
  }

  @Test
  void workers_templates_overview_health_metrics_and_the_openapi_document_answer() {
    JsonNode workers = api.get("/v1/workers", READ).json().get("workers");
    JsonNode templates = api.get("/v1/templates", READ).json().get("templates");
    JsonNode linear = api.get("/v1/templates/tests/linear", READ).json();
    JsonNode pinned = api.get("/v1/templates/tests/linear?version=1.0.0", READ).json();
    JsonNode overview = api.get("/v1/overview", READ).json();

    workers.forEach(worker -> schemas.assertValid("Worker", worker));
    templates.forEach(template -> schemas.assertValid("TemplateSummary", template));
    schemas.assertValid("Template", linear);
    schemas.assertValid("Overview", overview);
    assertThat(workers.findValuesAsText("state")).contains("active");
    assertThat(workers.get(0).get("handlers").toString()).contains("tests.add_one");
    assertThat(workers.get(0).get("language").asText()).isEqualTo("java");
    assertThat(templates.findValuesAsText("name")).contains("linear", "gated");
    assertThat(linear.get("steps").findValuesAsText("name")).containsExactly("first", "second", "third");
    assertThat(linear.get("input_schema").get("required").get(0).asText()).isEqualTo("start");
    assertThat(pinned).isEqualTo(linear);
    assertThat(overview.get("tasks").isObject()).isTrue();
    assertThat(overview.get("workers").get("active").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(overview.get("throughput")).hasSize(15);
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    Answer ready = api.get("/health/ready", null);
    assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("up");
    assertThat(ready.json().get("checks").toString()).contains("router: bound", "database: reachable, schema current");
    Answer metrics = api.get("/metrics", READ);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(metrics.text()).contains("tasker_steps_dispatched_total{handler=", "hikaricp_connections_active");
    assertThat(api.get("/metrics", null).status()).isEqualTo(401);
    assertThat(api.get("/v1/openapi.json", null).json().get("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void a_read_token_reads_but_cannot_change_anything_and_no_token_reads_nothing() {
    Answer read = api.get("/v1/tasks?limit=1", READ);
    Answer none = api.get("/v1/tasks?limit=1", null);
    Answer forbidden = api.post("/v1/tasks", "{\"namespace\":\"tests\",\"name\":\"linear\",\"context\":{\"start\":1}}",
        READ);

    assertThat(read.status()).isEqualTo(200);
    assertThat(none.status()).isEqualTo(401);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
  }

  static String stepId(JsonNode task, String name) {
    for (JsonNode step : task.get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return step.get("step_id").asText();
      }
    }
    throw new AssertionError("no step " + name + " in " + task);
  }
}
