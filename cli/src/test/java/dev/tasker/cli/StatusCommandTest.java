package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void theCountsLineListsStatesInLifecycleOrderThenUnknownOnesWhateverTheMapsOrder() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("zombie", 1L);
    counts.put("error", 2L);
    counts.put("pending", 3L);

    assertThat(StatusCommand.countsLine(counts, List.of("pending", "in_progress", "complete", "error")))
        .isEqualTo("total=6 pending=3 error=2 zombie=1");
    assertThat(StatusCommand.countsLine(Map.of(), List.of("pending"))).isEqualTo("total=0");
  }
}
