package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.worker.internal.WorkerJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepContextInputsTest {

  @Test
  void a_step_created_with_its_task_has_empty_inputs_no_cursor_and_no_checkpoint() {
    StepContext context = StepContext.builder().build();

    assertThat(context.inputs()).isEqualTo(JsonNodeFactory.instance.objectNode());
    assertThat(context.cursor()).isEmpty();
    assertThat(context.checkpoint()).isEmpty();
    assertThat(context.checkpointCursor()).isEmpty();
    assertThat(context.accumulatedResults()).isEmpty();
    assertThat(context.itemsProcessed()).isZero();
  }

  @Test
  void a_batch_worker_reads_its_cursor_from_the_inputs() {
    BatchCursor cursor = new BatchCursor("003", 400, 450, 200);

    StepContext context = StepContext.builder().cursor(cursor).build();

    assertThat(context.cursor()).contains(cursor);
    assertThat(context.inputs().at("/cursor/batch_id").asText()).isEqualTo("003");
  }

  @Test
  void a_resumed_step_reads_the_parts_of_its_last_checkpoint() {
    JsonNode checkpoint = WorkerJson.MAPPER.valueToTree(
        Map.of("cursor", 120, "items_processed", 20, "accumulated_results", Map.of("sum", 7)));

    StepContext context = StepContext.builder().checkpoint(checkpoint).build();

    assertThat(context.checkpoint()).contains(checkpoint);
    assertThat(context.checkpointCursor().map(JsonNode::asLong)).contains(120L);
    assertThat(context.itemsProcessed()).isEqualTo(20L);
    assertThat(context.accumulatedResults().map(r -> r.get("sum").asInt())).contains(7);
  }

  @Test
  void a_malformed_cursor_fails_when_read_naming_the_field() {
    StepContext context = StepContext.builder()
        .inputs(WorkerJson.MAPPER.valueToTree(Map.of("cursor", Map.of("batch_id", "001"))))
        .build();

    assertThatThrownBy(context::cursor)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs.cursor");
  }

  @Test
  void inputs_that_are_no_json_object_are_refused() {
    assertThatThrownBy(() -> StepContext.builder().inputs(JsonNodeFactory.instance.numberNode(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("inputs must be a JSON object");
  }
}
