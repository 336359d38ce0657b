package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import dev.tasker.worker.internal.WorkerJson;
import dev.tasker.worker.testing.StepHandlerHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outputs of decision and batchable steps, and checkpoint yields, as the orchestrator reads them. */
class DynamicStepResultsTest {

  private static JsonNode json(String text) throws JsonProcessingException {
    return WorkerJson.MAPPER.readTree(text.replace('\'', '"'));
  }

  /** {@code node} as the orchestrator reads it: numbers compare by value, not by Java type. */
  private static JsonNode onTheWire(JsonNode node) throws JsonProcessingException {
    return WorkerJson.MAPPER.readTree(WorkerJson.MAPPER.writeValueAsString(node));
  }

  @Test
  void a_decision_creates_the_named_steps() throws Exception {
    StepResult.Success result = StepResult.decision(List.of("ship_express", "notify_vip"));

    assertThat(onTheWire(result.output())).isEqualTo(json(
        "{'decision_point_outcome': {'type': 'create_steps', 'step_names': ['ship_express', 'notify_vip']}}"));
  }

  @Test
  void a_decision_keeps_the_fields_of_its_output_beside_the_outcome() throws Exception {
    record Route(String tier, int score) {}

    StepResult.Success result = StepResult.decision(List.of("ship_express"), new Route("gold", 91));

    assertThat(onTheWire(result.output())).isEqualTo(json("{'tier': 'gold', 'score': 91,"
        + " 'decision_point_outcome': {'type': 'create_steps', 'step_names': ['ship_express']}}"));
  }

  @Test
  void no_branches_and_a_decision_naming_no_steps_both_create_nothing() throws Exception {
    JsonNode expected = json("{'reason': 'none apply', 'decision_point_outcome': {'type': 'no_branches'}}");

    assertThat(StepResult.noBranches(Map.of("reason", "none apply")).output()).isEqualTo(expected);
    assertThat(StepResult.decision(List.of(), Map.of("reason", "none apply")).output()).isEqualTo(expected);
    assertThat(StepResult.noBranches().output()).isEqualTo(json("{'decision_point_outcome': {'type': 'no_branches'}}"));
  }

  @Test
  void a_decision_refuses_a_blank_or_repeated_step_name() {
    assertThatThrownBy(() -> StepResult.decision(List.of("a", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepNames");
    assertThatThrownBy(() -> StepResult.decision(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' twice");
  }

  @Test
  void an_output_that_is_no_json_object_or_holds_the_outcome_field_is_refused() {
    assertThatThrownBy(() -> StepResult.decision(List.of("a"), 42))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output must convert to a JSON object");
    assertThatThrownBy(() -> StepResult.noBatches(Map.of("batch_processing_outcome", "mine")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch_processing_outcome");
  }

  @Test
  void batches_name_the_worker_template_the_count_the_cursors_and_the_total() throws Exception {
    StepResult.Success result =
        StepResult.batches("process_batch", BatchCursor.split(450, 200), 450, Map.of("source", "orders.csv"));

    assertThat(onTheWire(result.output())).isEqualTo(json("{'source': 'orders.csv', 'batch_processing_outcome': {"
        + "'type': 'create_batches', 'worker_template_name': 'process_batch', 'worker_count': 3,"
        + " 'cursor_configs': ["
        + "{'batch_id': '001', 'start_cursor': 0, 'end_cursor': 200, 'batch_size': 200},"
        + "{'batch_id': '002', 'start_cursor': 200, 'end_cursor': 400, 'batch_size': 200},"
        + "{'batch_id': '003', 'start_cursor': 400, 'end_cursor': 450, 'batch_size': 200}],"
        + " 'total_items': 450}}"));
  }

  @Test
  void no_batches_and_batches_without_cursors_both_create_nothing() throws Exception {
    JsonNode expected = json("{'batch_processing_outcome': {'type': 'no_batches'}}");

    assertThat(StepResult.noBatches().output()).isEqualTo(expected);
    assertThat(StepResult.batches("process_batch", BatchCursor.split(0, 200), 0).output()).isEqualTo(expected);
  }

  @Test
  void batches_refuse_repeated_batch_ids_and_a_negative_total() {
    BatchCursor cursor = new BatchCursor("001", 0, 10, 10);

    assertThatThrownBy(() -> StepResult.batches("process_batch", List.of(cursor, cursor), 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'001' appears twice");
    assertThatThrownBy(() -> StepResult.batches("process_batch", List.of(cursor), -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalItems must be >= 0");
  }

  @Test
  void a_checkpoint_yield_holds_the_cursor_the_items_processed_and_the_accumulated_results() throws Exception {
    StepResult.CheckpointYield yield = StepResult.checkpointYield(Map.of("offset", 100), 100, Map.of("sum", 4950));

    assertThat(onTheWire(yield.checkpoint())).isEqualTo(json(
        "{'cursor': {'offset': 100}, 'items_processed': 100, 'accumulated_results': {'sum': 4950}}"));
  }

  @Test
  void a_checkpoint_yield_without_accumulated_results_leaves_the_field_out() throws Exception {
    assertThat(onTheWire(StepResult.checkpointYield(100, 100, null).checkpoint()))
        .isEqualTo(json("{'cursor': 100, 'items_processed': 100}"));
  }

  @Test
  void a_checkpoint_yield_refuses_a_null_cursor_and_a_negative_count() {
    assertThatThrownBy(() -> StepResult.checkpointYield(null, 0, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor must not be null");
    assertThatThrownBy(() -> StepResult.checkpointYield(1, -1, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itemsProcessed must be >= 0");
  }

  @Test
  void a_worker_reports_a_checkpoint_yield_as_status_checkpoint_with_its_checkpoint() throws Exception {
    PartialResult result =
        StepHandlerHarness.forHandler(context -> StepResult.checkpointYield(Map.of("offset", 5), 5, null))
            .runAsWorker();

    assertThat(result.status()).isEqualTo(StepStatus.CHECKPOINT);
    assertThat(onTheWire(result.checkpoint())).isEqualTo(json("{'cursor': {'offset': 5}, 'items_processed': 5}"));
    assertThat(result.output()).isNull();
    assertThat(result.error()).isNull();
  }

  @Test
  void a_decision_is_reported_by_a_worker_as_a_completed_step_with_the_outcome_in_its_output() {
    PartialResult result =
        StepHandlerHarness.forHandler(context -> StepResult.decision(List.of("ship_express"))).runAsWorker();

    assertThat(result.status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(result.checkpoint()).isNull();
    assertThat(result.output().at("/decision_point_outcome/type").asText()).isEqualTo("create_steps");
  }
}
