package dev.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.examples.csvinventory.InventoryCsv;
import dev.tasker.examples.csvinventory.InventoryRow;
import dev.tasker.examples.csvinventory.InventoryTotals;
import dev.tasker.worker.BatchCursor;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.testing.StepHandlerHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The approval routing and CSV inventory handlers, without sockets. */
class DynamicExampleHandlersTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  private static JsonNode output(StepResult result) {
    assertThat(result).isInstanceOf(StepResult.Success.class);
    return ((StepResult.Success) result).output();
  }

  private static StepHandlerHarness handler(String name) {
    return StepHandlerHarness.forHandler(ExampleHandlers.all().get(name));
  }

  @ParameterizedTest(name = "{0} needs {1}")
  @CsvSource({"500, auto_approve", "999.99, auto_approve", "1000, manager_approval", "5000, manager_approval",
      "5000.01, manager_approval finance_review", "10000, manager_approval finance_review"})
  void the_routing_decision_chooses_approvals_by_amount(String amount, String approvals) throws Exception {
    StepResult result = handler("conditional_approval.routing_decision")
        .previousResult("validate_request", Map.of("amount", new java.math.BigDecimal(amount)))
        .handlerConfig(Map.of("auto_approve_below", 1000, "finance_review_above", 5000))
        .run();

    JsonNode outcome = output(result).path("decision_point_outcome");
    assertThat(outcome.path("type").asText()).isEqualTo("create_steps");
    assertThat(JSON.convertValue(outcome.path("step_names"), List.class)).isEqualTo(List.of(approvals.split(" ")));
  }

  @Test
  void a_request_without_a_positive_amount_fails_permanently() throws Exception {
    StepResult result = handler("conditional_approval.validate_request").taskContext(Map.of("amount", 0)).run();

    assertThat(result).isInstanceOf(StepResult.PermanentFailure.class);
    assertThat(((StepResult.PermanentFailure) result).errorType()).isEqualTo("invalid_request");
  }

  @Test
  void finalize_lists_exactly_the_approvals_among_its_previous_results() throws Exception {
    StepResult result = handler("conditional_approval.finalize_approval")
        .previousResult("validate_request", Map.of("amount", 10000))
        .previousResult("routing_decision", Map.of("amount", 10000))
        .previousResult("manager_approval", Map.of("approver", "manager", "approved", true))
        .previousResult("finance_review", Map.of("approver", "finance", "approved", true))
        .run();

    assertThat(JSON.convertValue(output(result).path("approvals"), List.class))
        .isEqualTo(List.of("finance_review", "manager_approval"));
    assertThat(JSON.convertValue(output(result).path("approvers"), List.class)).isEqualTo(List.of("finance", "manager"));
  }

  @Test
  void the_generated_csv_is_the_same_for_the_same_seed_and_parses_back() throws Exception {
    Path first = directory.resolve("a.csv");
    Path second = directory.resolve("b.csv");
    InventoryCsv.write(first, 1000, 42);
    InventoryCsv.write(second, 1000, 42);

    assertThat(Files.readString(first)).isEqualTo(Files.readString(second));
    assertThat(InventoryCsv.countRows(first)).isEqualTo(1000);
    assertThat(InventoryCsv.read(first, 998, 1000)).extracting(InventoryRow::productId).containsExactly(999L, 1000L);
    assertThat(InventoryRow.parse("7,SKU-00007,laptops,12.05,3", 6).valueCents()).isEqualTo(3615);
  }

  @Test
  void analyze_plans_one_batch_worker_per_200_rows() throws Exception {
    Path file = directory.resolve("inventory.csv");
    InventoryCsv.write(file, 1000, 7);

    JsonNode outcome = output(handler("csv_processing.analyze_csv")
        .taskContext(Map.of("csv_path", file.toString())).handlerConfig(Map.of("batch_size", 200)).run())
        .path("batch_processing_outcome");

    assertThat(outcome.path("worker_template_name").asText()).isEqualTo("process_csv_batch");
    assertThat(outcome.path("worker_count").asInt()).isEqualTo(5);
    assertThat(outcome.path("total_items").asLong()).isEqualTo(1000);
  }

  @Test
  void a_batch_worker_checkpoints_every_50_rows_and_resuming_from_each_checkpoint_gives_the_range_totals()
      throws Exception {
    Path file = directory.resolve("inventory.csv");
    InventoryCsv.write(file, 400, 11);
    InventoryTotals expected = InventoryTotals.EMPTY;
    for (InventoryRow row : InventoryCsv.read(file, 200, 400)) {
      expected = expected.plus(row);
    }
    StepHandlerHarness worker = handler("csv_processing.process_csv_batch")
        .taskContext(Map.of("csv_path", file.toString()))
        .handlerConfig(Map.of("checkpoint_every", 50))
        .cursor(new BatchCursor("002", 200, 400, 200));

    StepResult result = worker.run();
    List<Long> cursors = new java.util.ArrayList<>();
    while (result instanceof StepResult.CheckpointYield yield) {
      cursors.add(yield.checkpoint().path("cursor").asLong());
      result = worker.checkpoint(yield.checkpoint()).run();
    }

    assertThat(cursors).containsExactly(250L, 300L, 350L);
    assertThat(InventoryTotals.fromJson(output(result))).isEqualTo(expected);
    assertThat(output(result).path("batch_id").asText()).isEqualTo("002");
  }
}
