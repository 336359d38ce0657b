package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.StepWorker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * Steps created at run time, as the HTTP API and the dashboard show them: a decision chooses a
 * batchable step, which fans out into two batch workers and a convergence step
 * (templates-api-dynamic/routed_fan_out.yaml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DynamicStepsApiIT {

  private static final StepHandler ROUTE = context -> StepResult.success(Map.of("decision_point_outcome",
      Map.of("type", "create_steps", "step_names", List.of("plan"))));

  private static final StepHandler PLAN = context -> StepResult.success(Map.of("batch_processing_outcome",
      Map.of("type", "create_batches", "worker_template_name", "work", "worker_count", 2, "cursor_configs", List.of(
          Map.of("batch_id", "001", "start_cursor", 0, "end_cursor", 10, "batch_size", 10),
          Map.of("batch_id", "002", "start_cursor", 10, "end_cursor", 20, "batch_size", 10)))));

  private static final StepHandler OK = context -> StepResult.success(Map.of("ok", true));

  private TestOrchestrator tasker;
  private StepWorker worker;
  private ApiHttp api;
  private OpenApiSchemas schemas;
  private DashboardBrowser browser;

  @BeforeAll
  void start() throws InterruptedException {
    tasker = TestOrchestrator.start(
        TemplateRegistry.fromDirectory(Path.of("src/test/resources/templates-api-dynamic"), null),
        OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8)
            .httpEndpoint("127.0.0.1:0").build());
    worker = StepWorker.builder().endpoint(tasker.endpoint())
        .handlers(Map.of("api_dynamic.route", ROUTE, "api_dynamic.plan", PLAN, "api_dynamic.ok", OK))
        .concurrency(4).drainTimeout(Duration.ofSeconds(5)).build().start();
    assertThat(worker.awaitRegistered(Duration.ofSeconds(10))).as("worker registered").isTrue();
    api = new ApiHttp(tasker.orchestrator().httpUrl().orElseThrow());
    schemas = new OpenApiSchemas(api);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (worker != null) {
      worker.close();
    }
    tasker.close();
  }

  @Test
  @Order(1)
  void steps_created_at_run_time_come_back_with_their_kind_inputs_checkpoint_and_the_step_that_created_them()
      throws Exception {
    String taskId = aRoutedFanOut();
    JsonNode task = awaitComplete(taskId);
    String routeId = ApiIT.stepId(task, "route");
    String planId = ApiIT.stepId(task, "plan");
    String workerId = ApiIT.stepId(task, "work_001");
    // The Java worker SDK does not yield checkpoints yet: store one as the orchestrator does.
    storeCheckpoint(workerId, "{\"cursor\": 5, \"items_processed\": 5, \"accumulated_results\": {\"sum\": 15}}");

    JsonNode route = api.get("/v1/steps/" + routeId, null).json();
    JsonNode plan = api.get("/v1/steps/" + planId, null).json();
    JsonNode work = api.get("/v1/steps/" + workerId, null).json();
    JsonNode total = api.get("/v1/steps/" + ApiIT.stepId(task, "total"), null).json();
    JsonNode template = api.get("/v1/templates/api_dynamic/routed_fan_out", null).json();

    schemas.assertValid("Task", task);
    for (JsonNode step : List.of(route, plan, work, total)) {
      schemas.assertValid("StepDetail", step);
    }
    schemas.assertValid("Template", template);
    assertThat(kinds(task)).containsExactlyInAnyOrderEntriesOf(Map.of("route", "decision", "plan", "batchable",
        "work_001", "batch_worker", "work_002", "batch_worker", "total", "deferred_convergence"));
    assertThat(route.get("created_by").isNull()).as("created with the task").isTrue();
    assertThat(route.get("inputs").isNull()).isTrue();
    assertThat(route.get("checkpoint").isNull()).isTrue();
    assertThat(plan.get("kind").asText()).isEqualTo("batchable");
    assertThat(plan.get("created_by").asText()).isEqualTo(routeId);
    assertThat(work.get("kind").asText()).isEqualTo("batch_worker");
    assertThat(work.get("created_by").asText()).isEqualTo(planId);
    assertThat(work.get("inputs").get("worker_template").asText()).isEqualTo("work");
    assertThat(work.get("inputs").get("cursor").get("batch_id").asText()).isEqualTo("001");
    assertThat(work.get("inputs").get("cursor").get("end_cursor").asInt()).isEqualTo(10);
    assertThat(work.get("checkpoint").get("items_processed").asInt()).isEqualTo(5);
    assertThat(work.get("depends_on")).extracting(JsonNode::asText).containsExactly("plan");
    assertThat(total.get("created_by").asText()).isEqualTo(planId);
    assertThat(total.get("depends_on")).extracting(JsonNode::asText).containsExactly("work_001", "work_002");
    Map<String, String> types = new HashMap<>();
    template.get("steps").forEach(step -> types.put(step.get("name").asText(), step.get("type").asText()));
    assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("route", "decision", "plan", "batchable",
        "skipped", "standard", "work", "batch_worker", "total", "deferred_convergence"));
  }

  @Test
  @Order(2)
  void the_dashboard_marks_each_node_by_kind_and_shows_a_batch_workers_cursor_and_checkpoint() throws Exception {
    String taskId = aRoutedFanOut();
    JsonNode task = awaitComplete(taskId);
    String workerId = ApiIT.stepId(task, "work_002");
    storeCheckpoint(workerId, "{\"cursor\": 17, \"items_processed\": 7, \"accumulated_results\": null}");
    browser = new DashboardBrowser(tasker.orchestrator().httpUrl().orElseThrow());

    browser.open("#/tasks/" + taskId + "?step=" + workerId);
    browser.await(By.cssSelector("#step-panel .step-inputs"));
    Object script = browser.driver().executeScript("const kinds = {};"
        + " document.querySelectorAll('svg.dag .dag-node').forEach(n => kinds[n.dataset.step] = n.dataset.kind"
        + " + ':' + (n.querySelector('.kind') ? n.querySelector('.kind').textContent : ''));"
        + " return kinds;");
    Map<String, String> nodeKinds = new HashMap<>();
    ((Map<?, ?>) script).forEach((step, kind) -> nodeKinds.put(String.valueOf(step), String.valueOf(kind)));
    String panel = browser.driver().findElement(By.id("step-panel")).getDomProperty("textContent");

    assertThat(nodeKinds).containsExactlyInAnyOrderEntriesOf(Map.of("route", "decision:decision",
        "plan", "batchable:batchable", "work_001", "batch_worker:batch worker", "work_002", "batch_worker:batch worker",
        "total", "deferred_convergence:convergence"));
    assertThat(panel).contains("Step work_002", "Kind", "batch worker", "Created by", "plan", "Cursor",
        "\"batch_id\": \"002\"", "Checkpoint", "\"items_processed\": 7");
    assertThat(browser.errors()).isEmpty();
  }

  private String aRoutedFanOut() {
    ApiHttp.Answer created = api.post("/v1/tasks", "{\"namespace\":\"api_dynamic\",\"name\":\"routed_fan_out\","
        + "\"context\":{\"n\":\"" + UUID.randomUUID() + "\"}}", null);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("step_count").asInt()).as("created with the task: the decision alone").isEqualTo(1);
    return created.json().get("task_id").asText();
  }

  private JsonNode awaitComplete(String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode task = api.get("/v1/tasks/" + taskId, null).json();
    while (!task.get("state").asText().equals("complete") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      task = api.get("/v1/tasks/" + taskId, null).json();
    }
    assertThat(task.get("state").asText()).as("state of task %s: %s", taskId, task).isEqualTo("complete");
    return task;
  }

  private void storeCheckpoint(String stepId, String checkpoint) throws Exception {
    try (Connection connection = tasker.dataSource().getConnection();
        PreparedStatement update = connection.prepareStatement(
            "UPDATE tasker.workflow_steps SET checkpoint = ?::jsonb WHERE step_id = ?")) {
      update.setString(1, checkpoint);
      update.setObject(2, UUID.fromString(stepId));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private static Map<String, String> kinds(JsonNode task) {
    Map<String, String> kinds = new HashMap<>();
    task.get("steps").forEach(step -> kinds.put(step.get("name").asText(), step.get("kind").asText()));
    return kinds;
  }
}
