package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.worker.internal.WorkerJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCursorTest {

  @Test
  void splitting_covers_every_item_in_chunks_and_the_last_batch_holds_the_rest() {
    assertThat(BatchCursor.split(450, 200))
        .containsExactly(
            new BatchCursor("001", 0, 200, 200),
            new BatchCursor("002", 200, 400, 200),
            new BatchCursor("003", 400, 450, 200));
  }

  @Test
  void splitting_a_whole_number_of_batches_makes_no_short_batch() {
    assertThat(BatchCursor.split(400, 200)).extracting(BatchCursor::itemCount).containsExactly(200L, 200L);
  }

  @Test
  void splitting_no_items_makes_no_batches() {
    assertThat(BatchCursor.split(0, 200)).isEmpty();
  }

  @Test
  void batch_ids_have_three_digits_and_more_past_999() {
    List<BatchCursor> cursors = BatchCursor.split(1000, 1);

    assertThat(cursors.get(0).batchId()).isEqualTo("001");
    assertThat(cursors.get(998).batchId()).isEqualTo("999");
    assertThat(cursors.get(999).batchId()).isEqualTo("1000");
  }

  @Test
  void splitting_refuses_a_negative_total_and_a_batch_size_below_1() {
    assertThatThrownBy(() -> BatchCursor.split(-1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalItems must be >= 0");
    assertThatThrownBy(() -> BatchCursor.split(10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be >= 1");
  }

  @Test
  void a_cursor_reads_and_writes_the_wire_field_names_and_ignores_unknown_ones() throws Exception {
    JsonNode json = WorkerJson.MAPPER.readTree(WorkerJson.MAPPER.writeValueAsString(new BatchCursor("001", 0, 200, 200)));
    BatchCursor read = WorkerJson.MAPPER.readValue(
        "{\"batch_id\": \"002\", \"start_cursor\": 200, \"end_cursor\": 400, \"batch_size\": 200, \"extra\": 1}",
        BatchCursor.class);

    assertThat(json).isEqualTo(WorkerJson.MAPPER.readTree(
        "{\"batch_id\": \"001\", \"start_cursor\": 0, \"end_cursor\": 200, \"batch_size\": 200}"));
    assertThat(read).isEqualTo(new BatchCursor("002", 200, 400, 200));
  }

  @Test
  void a_cursor_that_ends_before_it_starts_is_refused() {
    assertThatThrownBy(() -> new BatchCursor("001", 10, 5, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endCursor must be >= startCursor");
  }
}
