package dev.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.InvalidTaskContextException;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepWorker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExampleWorkflowsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestOrchestrator tasker;
  private static StepWorker worker;

  @BeforeAll
  static void start() throws InterruptedException {
    TemplateRegistry templates =
        TemplateRegistry.fromResources(ExampleWorkflowsIT.class.getClassLoader(), ExampleTemplates.ALL, null);
    tasker = TestOrchestrator.start(templates);
    worker = StepWorker.builder().endpoint(tasker.endpoint()).handlers(ExampleHandlers.all()).concurrency(8).build().start();
    assertThat(worker.awaitRegistered(WAIT)).isTrue();
  }

  @AfterAll
  static void stop() {
    worker.close();
    tasker.close();
  }

  private static TaskRequest diamond(int n) {
    return TaskRequest.builder("diamond_workflow", "parallel_computation").context(Map.of("even_number", n)).build();
  }

  private static TaskRequest order(Map<String, Object> context) {
    return TaskRequest.builder("order_fulfillment", "process_order").context(context).build();
  }

  @Test
  void the_diamond_of_6_ends_with_6_to_the_16th() throws Exception {
    CreatedTask created = tasker.submit(diamond(6));

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("diamond_start").orElseThrow().results().get("value").asLong()).isEqualTo(36);
    assertThat(task.step("diamond_branch_b").orElseThrow().results().get("value").asLong()).isEqualTo(1296);
    assertThat(task.step("diamond_end").orElseThrow().results().get("value").asLong()).isEqualTo(2821109907456L);
  }

  @Test
  void an_order_is_validated_reserved_paid_and_shipped() throws Exception {
    CreatedTask created = tasker.submit(order(Orders.anOrder(1001)));

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("process_payment").orElseThrow().results().get("amount").asText()).isEqualTo("49.12");
    assertThat(task.step("ship_order").orElseThrow().results().get("tracking_number").asText()).startsWith("UPS-1001-");
  }

  @Test
  void a_busy_payment_gateway_is_retried_and_the_order_completes() throws Exception {
    CreatedTask created = tasker.submit(order(Orders.anOrder(1002, "tok_busy")));

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("process_payment").orElseThrow().attempts()).isEqualTo(2);
  }

  @Test
  void a_declined_card_ends_the_order_in_error_and_it_is_never_shipped() throws Exception {
    CreatedTask created = tasker.submit(order(Orders.anOrder(1003, "tok_decline")));

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.ERROR);
    assertThat(task.step("validate_order").orElseThrow().state()).isEqualTo(StepState.COMPLETE);
    assertThat(task.step("reserve_inventory").orElseThrow().state()).isEqualTo(StepState.COMPLETE);
    assertThat(task.step("process_payment").orElseThrow().state()).isEqualTo(StepState.ERROR);
    assertThat(task.step("process_payment").orElseThrow().lastError().get("error_type").asText()).isEqualTo("card_declined");
    assertThat(task.step("ship_order").orElseThrow().state()).isEqualTo(StepState.PENDING);
  }

  @Test
  void an_order_missing_its_items_is_refused_before_anything_is_stored() throws Exception {
    Map<String, Object> context = new java.util.HashMap<>(Orders.anOrder(1004));
    context.remove("items");
    long tasksBefore = tasker.queryForLong("SELECT count(*) FROM tasker.tasks");

    assertThatThrownBy(() -> tasker.submit(order(context)))
        .isInstanceOf(InvalidTaskContextException.class)
        .hasMessageContaining("items");
    assertThat(tasker.queryForLong("SELECT count(*) FROM tasker.tasks")).isEqualTo(tasksBefore);
  }
}
