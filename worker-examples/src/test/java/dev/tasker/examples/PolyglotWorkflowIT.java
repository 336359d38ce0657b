package dev.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.examples.polyglot.PolyglotHandlers;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.StepState;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepWorker;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mixed workflow across two languages: an in-process Java worker serving only the Java half of
 * {@code polyglot/polyglot_order}, and a Ruby worker process ({@code ruby-worker/bin/tasker-worker})
 * serving the Ruby half and the whole order-fulfillment example. Needs Ruby with ffi-rzmq and
 * concurrent-ruby; {@code ./tasker test} installs them.
 */
class PolyglotWorkflowIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path RUBY_WORKER = Path.of("..", "ruby-worker").toAbsolutePath().normalize();

  private static TestOrchestrator tasker;
  private static StepWorker javaWorker;
  private static Process rubyWorker;
  private static Path rubyLog;

  @BeforeAll
  static void start() throws Exception {
    TemplateRegistry templates =
        TemplateRegistry.fromResources(PolyglotWorkflowIT.class.getClassLoader(), ExampleTemplates.ALL, null);
    tasker = TestOrchestrator.start(templates);
    javaWorker = StepWorker.builder().endpoint(tasker.endpoint()).handlers(PolyglotHandlers.all()).concurrency(8)
        .build().start();
    assertThat(javaWorker.awaitRegistered(WAIT)).isTrue();
    rubyLog = Path.of("target", "polyglot-ruby-worker.log");
    Files.createDirectories(rubyLog.getParent());
    rubyWorker = new ProcessBuilder("ruby", RUBY_WORKER.resolve("bin/tasker-worker").toString(),
        "--endpoint", tasker.endpoint(), "--concurrency", "8", "--worker-id", "polyglot-it-ruby",
        "--require", RUBY_WORKER.resolve("examples/polyglot.rb").toString(),
        "--require", RUBY_WORKER.resolve("examples/order_fulfillment.rb").toString())
        .redirectErrorStream(true)
        .redirectOutput(rubyLog.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (tasker.orchestrator().registeredWorkers() < 2) {
      if (!rubyWorker.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the Ruby worker did not register (is ruby with ruby-ffi-rzmq and"
            + " ruby-concurrent installed? ./tasker test installs them); its log:\n" + rubyLogText());
      }
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (rubyWorker != null) {
      rubyWorker.destroy();
      if (!rubyWorker.waitFor(20, TimeUnit.SECONDS)) {
        rubyWorker.destroyForcibly();
      }
    }
    if (javaWorker != null) {
      javaWorker.close();
    }
    if (tasker != null) {
      tasker.close();
    }
  }

  private static String rubyLogText() {
    try {
      return Files.readString(rubyLog, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static TaskRequest cart(long orderId, String email, List<Map<String, Object>> items) {
    return TaskRequest.builder("polyglot", "polyglot_order")
        .context(Map.of("order_id", orderId, "customer_email", email, "items", items))
        .build();
  }

  private static Map<String, Object> item(String sku, int quantity, int unitPriceCents) {
    return Map.of("sku", sku, "quantity", quantity, "unit_price_cents", unitPriceCents);
  }

  private static long fraudScore(String email) {
    long sum = 0;
    for (byte b : email.getBytes(StandardCharsets.UTF_8)) {
      sum += b & 0xff;
    }
    return sum % 100;
  }

  @Test
  void each_step_runs_in_its_language_and_the_numbers_agree_across_the_boundary() throws Exception {
    String email = "ada@example.com";
    CreatedTask created = tasker.submit(cart(7, email, List.of(item("BOOK", 2, 1050), item("PEN", 1, 399))));

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    JsonNode cart = task.step("validate_cart").orElseThrow().results();
    JsonNode tax = task.step("calculate_tax").orElseThrow().results();
    JsonNode fraud = task.step("score_fraud").orElseThrow().results();
    JsonNode payment = task.step("authorize_payment").orElseThrow().results();
    JsonNode receipt = task.step("send_receipt").orElseThrow().results();
    assertThat(cart.get("subtotal_cents").asLong()).isEqualTo(2499);
    assertThat(cart.get("item_count").asLong()).isEqualTo(3);
    assertThat(tax.get("tax_cents").asLong()).isEqualTo((2499L * 825 + 5000) / 10000);
    assertThat(fraud.get("fraud_score").asLong()).isEqualTo(fraudScore(email));
    assertThat(payment.get("total_cents").asLong()).isEqualTo(2499 + 206);
    assertThat(payment.get("authorized").asBoolean()).isEqualTo(fraudScore(email) < 90);
    assertThat(receipt.get("receipt").asText())
        .isEqualTo("order 7: 2705 cents, authorized=" + (fraudScore(email) < 90));
    assertThat(List.of(cart.get("validated_by"), tax.get("calculated_by"), fraud.get("scored_by"),
            payment.get("authorized_by"), receipt.get("sent_by")))
        .extracting(JsonNode::asText)
        .containsExactly("java", "ruby", "ruby", "java", "ruby");
  }

  @Test
  void many_mixed_tasks_at_once_all_complete() throws Exception {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(tasker.submit(cart(100 + i, "buyer" + i + "@example.com", List.of(item("SKU-" + i, 1 + i % 3, 100 * i))))
          .taskId());
    }

    for (UUID id : ids) {
      TaskSnapshot task = tasker.awaitFinished(id, WAIT);
      assertThat(task.state()).as("task %s", id).isEqualTo(TaskState.COMPLETE);
      assertThat(task.steps()).extracting(s -> s.state()).containsOnly(StepState.COMPLETE);
    }
  }

  @Test
  void the_ruby_order_fulfillment_handlers_compute_what_the_java_ones_do() throws Exception {
    CreatedTask created = tasker.submit(
        TaskRequest.builder("order_fulfillment", "process_order").context(Orders.anOrder(1001)).build());

    TaskSnapshot task = tasker.awaitFinished(created.taskId(), WAIT);

    assertThat(task.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(task.step("process_payment").orElseThrow().results().get("amount").asText()).isEqualTo("49.12");
    assertThat(task.step("ship_order").orElseThrow().results().get("tracking_number").asText()).startsWith("UPS-1001-");
  }

  @Test
  void a_busy_gateway_in_ruby_is_retried_and_a_declined_card_in_ruby_ends_the_task_in_error() throws Exception {
    CreatedTask busy = tasker.submit(
        TaskRequest.builder("order_fulfillment", "process_order").context(Orders.anOrder(1002, "tok_busy")).build());
    CreatedTask declined = tasker.submit(
        TaskRequest.builder("order_fulfillment", "process_order").context(Orders.anOrder(1003, "tok_decline")).build());

    TaskSnapshot retried = tasker.awaitFinished(busy.taskId(), WAIT);
    TaskSnapshot failed = tasker.awaitFinished(declined.taskId(), WAIT);

    assertThat(retried.state()).isEqualTo(TaskState.COMPLETE);
    assertThat(retried.step("process_payment").orElseThrow().attempts()).isEqualTo(2);
    assertThat(failed.state()).isEqualTo(TaskState.ERROR);
    assertThat(failed.step("process_payment").orElseThrow().lastError().get("error_type").asText())
        .isEqualTo("card_declined");
  }
}
