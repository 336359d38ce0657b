package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in real headless Chromium against a real orchestrator, database and worker: every
 * page loads without a console error, a diamond task's graph follows its four steps live, and the
 * retry button on a dead letter runs the step again. Saves a screenshot of each page to the
 * repository's docs/images, which the README shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  /** The repository's docs/images, from the orchestrator module's directory (where failsafe runs). */
  private static final Path SCREENSHOTS = Path.of("..", "docs", "images");

  private TaskerTestSystem system;
  private ApiHttp api;
  private DashboardBrowser browser;

  @BeforeAll
  void start() throws InterruptedException {
    DashboardBrowser.requireInstalled();
    TestHandlers.GATE_OPEN.set(false);
    system = TaskerTestSystem.start(OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8).httpEndpoint("127.0.0.1:0").build());
    system.worker(TestHandlers.all(), 4);
    String url = system.orchestrator().httpUrl().orElseThrow();
    api = new ApiHttp(url);
    browser = new DashboardBrowser(url);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (system != null) {
      system.close();
    }
  }

  @Test
  @Order(0)
  void the_browser_console_log_can_be_read_so_an_empty_one_means_no_errors() {
    browser.open("#/");
    browser.await(By.cssSelector(".stats"));
    browser.errors();

    browser.driver().executeScript("console.error('a deliberate error from the test')");

    assertThat(browser.consoleEntries()).anySatisfy(entry -> {
      assertThat(entry.getLevel()).isEqualTo(Level.SEVERE);
      assertThat(entry.getMessage()).contains("a deliberate error from the test");
    });
    assertThat(browser.errors()).anySatisfy(error -> assertThat(error).contains("a deliberate error from the test"));
  }

  @Test
  @Order(1)
  void every_page_loads_without_console_errors_and_is_saved_as_a_screenshot() throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    List<String> complete = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      complete.add(create("linear", "{\"start\":" + i + "}"));
    }
    String failing = create("branches", "{}");
    String gated = create("gated", "{\"n\":\"" + UUID.randomUUID() + "\"}");
    String diamond = create("diamond", "{\"start\":" + System.nanoTime() % 1000 + "}");
    complete.add(diamond);
    for (String taskId : complete) {
      awaitTask(taskId, "complete");
    }
    awaitTask(failing, "error");
    awaitTask(gated, "error");

    Map<String, List<String>> errors = new LinkedHashMap<>();
    for (String[] page : new String[][] {
        {"#/", ".stats", "dashboard-overview.png"},
        {"#/tasks", "#task-table tbody tr a", "dashboard-tasks.png"},
        {"#/tasks/" + diamond, "svg.dag .dag-node", null},
        {"#/dead-letters", "#dead-letter-table [data-action=retry]", "dashboard-dead-letters.png"},
        {"#/workers", "#worker-table tbody tr", "dashboard-workers.png"}}) {
      browser.open(page[0]);
      browser.await(By.cssSelector(page[1]));
      if (page[2] != null) {
        browser.screenshot(SCREENSHOTS.resolve(page[2]));
      }
      errors.put(page[0], browser.errors());
    }

    assertThat(errors).allSatisfy((page, found) -> assertThat(found).as("errors on %s", page).isEmpty());
  }

  @Test
  @Order(2)
  void a_diamond_tasks_graph_shows_its_four_steps_with_their_states_and_follows_them_live() throws Exception {
    long start = System.nanoTime() % 1000;
    String taskId = create("diamond", "{\"start\":" + start + "}");

    browser.open("#/tasks/" + taskId);
    browser.await(By.cssSelector("svg.dag .dag-node"));
    Map<String, String> first = nodeStates();
    browser.awaitCondition(Duration.ofSeconds(20), driver -> nodeStates().values().stream().allMatch("complete"::equals));
    JsonNode task = awaitTask(taskId, "complete");

    assertThat(first).containsOnlyKeys("start", "left", "right", "end");
    assertThat(first.get("right")).as("right takes two seconds: unfinished when the page first drew")
        .isIn("pending", "in_progress");
    assertThat(nodeStates()).containsOnlyKeys("start", "left", "right", "end");
    browser.driver().findElement(By.cssSelector(".dag-node[data-step=end]")).click();
    WebElement panel = browser.await(By.cssSelector("#step-panel table.batches"));
    String endId = ApiIT.stepId(task, "end");
    assertThat(browser.driver().findElement(By.cssSelector(".dag-node[data-step=end]")).getAttribute("class"))
        .contains("selected");
    assertThat(browser.driver().getCurrentUrl()).endsWith("?step=" + endId);
    assertThat(browser.driver().findElement(By.id("step-panel")).getDomProperty("textContent"))
        .contains("Step end", "complete", "Input", "Output", "\"value\": " + (start + 3), "Batches (1)");
    assertThat(panel.findElements(By.cssSelector("tbody tr"))).hasSize(1);
    assertThat(browser.errors()).isEmpty();
    browser.screenshot(SCREENSHOTS.resolve("dashboard-task.png"));
  }

  @Test
  @Order(3)
  void the_retry_button_on_a_dead_letter_makes_the_step_run_again_and_the_task_complete() throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    String taskId = create("gated", "{\"n\":\"" + UUID.randomUUID() + "\"}");
    String gateId = ApiIT.stepId(awaitTask(taskId, "error"), "gate");

    browser.open("#/dead-letters");
    WebElement retry = browser.await(By.cssSelector("tr[data-step-id='" + gateId + "'] [data-action=retry]"));
    TestHandlers.GATE_OPEN.set(true);
    retry.click();
    browser.await(By.cssSelector("#flash .notice.ok"));
    JsonNode task = awaitTask(taskId, "complete");

    assertThat(browser.driver().findElement(By.id("flash")).getText()).contains("gate", "pending again");
    assertThat(browser.driver().findElements(By.cssSelector("tr[data-step-id='" + gateId + "']"))).isEmpty();
    JsonNode gate = api.get("/v1/steps/" + gateId, null).json();
    assertThat(gate.get("state").asText()).isEqualTo("complete");
    assertThat(gate.get("batches")).hasSize(2);
    assertThat(task.get("steps").findValuesAsText("state")).containsOnly("complete");
    browser.open("#/tasks/" + taskId);
    browser.await(By.cssSelector(".dag-node[data-step=gate][data-state=complete]"));
    assertThat(browser.errors()).isEmpty();
  }

  @Test
  @Order(4)
  void resolving_a_dead_letter_with_an_output_and_cancelling_another_ones_task_work_from_their_buttons()
      throws Exception {
    TestHandlers.GATE_OPEN.set(false);
    String resolvedTask = create("gated", "{\"n\":\"" + UUID.randomUUID() + "\"}");
    String cancelledTask = create("gated", "{\"n\":\"" + UUID.randomUUID() + "\"}");
    String resolvedGate = ApiIT.stepId(awaitTask(resolvedTask, "error"), "gate");
    String cancelledGate = ApiIT.stepId(awaitTask(cancelledTask, "error"), "gate");

    browser.open("#/dead-letters");
    browser.await(By.cssSelector("tr[data-step-id='" + resolvedGate + "'] [data-action=resolve]")).click();
    WebElement output = browser.await(By.cssSelector(".resolve-form textarea"));
    output.clear();
    output.sendKeys("{\"value\": 41}");
    browser.driver().findElement(By.cssSelector(".resolve-form button[type=submit]")).click();
    browser.await(By.cssSelector("#flash .notice.ok"));
    browser.driver().findElement(By.cssSelector("tr[data-step-id='" + cancelledGate + "'] [data-action=cancel]")).click();
    browser.driver().switchTo().alert().accept();
    browser.awaitCondition(Duration.ofSeconds(10), driver -> driver.findElement(By.id("flash")).getText().contains("cancelled"));

    JsonNode resolved = awaitTask(resolvedTask, "complete");
    assertThat(resolved.get("steps").findValues("output").toString()).contains("41", "42");
    awaitTask(cancelledTask, "cancelled");
    assertThat(browser.driver().findElements(By.cssSelector("tr[data-step-id='" + resolvedGate + "']"))).isEmpty();
    assertThat(browser.errors()).isEmpty();
  }

  @Test
  @Order(6)
  void with_api_tokens_configured_the_dashboard_asks_for_one_refuses_a_wrong_one_and_works_with_a_right_one() {
    String read = "dashboard-read-token-0123456789";
    try (TaskerTestSystem guarded = TaskerTestSystem.start(OrchestratorConfig.builder()
        .endpoints("tcp://127.0.0.1:0").httpEndpoint("127.0.0.1:0").apiTokens(List.of(read), List.of()).build())) {
      browser.openAt(guarded.orchestrator().httpUrl().orElseThrow(), "#/");
      browser.await(By.id("api-token")).sendKeys("not-a-token");
      browser.driver().findElement(By.cssSelector("form button[type=submit]")).click();
      browser.await(By.cssSelector(".narrow .notice.error"));
      browser.await(By.id("api-token")).sendKeys(read);
      browser.driver().findElement(By.cssSelector("form button[type=submit]")).click();
      browser.await(By.cssSelector(".stats"));

      assertThat(browser.driver().executeScript("return sessionStorage.getItem('tasker.apiToken')")).isEqualTo(read);
      assertThat(browser.errors()).as("only the refused requests").isNotEmpty()
          .allSatisfy(error -> assertThat(error).contains("401"));
      browser.driver().executeScript("sessionStorage.clear()");
    }
  }

  /** Each node's step and state, read in one script: the page redraws the graph on every poll. */
  private Map<String, String> nodeStates() {
    Object states = browser.driver().executeScript("const states = {};"
        + " document.querySelectorAll('svg.dag .dag-node').forEach(n => states[n.dataset.step] = n.dataset.state);"
        + " return states;");
    Map<String, String> result = new HashMap<>();
    ((Map<?, ?>) states).forEach((step, state) -> result.put(String.valueOf(step), String.valueOf(state)));
    return result;
  }

  private String create(String template, String context) {
    ApiHttp.Answer answer = api.post("/v1/tasks",
        "{\"namespace\":\"tests\",\"name\":\"" + template + "\",\"context\":" + context + "}", null);
    assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
    return answer.json().get("task_id").asText();
  }

  private JsonNode awaitTask(String taskId, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode task = api.get("/v1/tasks/" + taskId, null).json();
    while (!task.get("state").asText().equals(state) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      task = api.get("/v1/tasks/" + taskId, null).json();
    }
    assertThat(task.get("state").asText()).as("state of task %s", taskId).isEqualTo(state);
    return task;
  }
}
