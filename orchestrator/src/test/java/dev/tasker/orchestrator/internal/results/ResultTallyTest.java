package dev.tasker.orchestrator.internal.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResultTallyTest {

  private final UUID charged = UUID.randomUUID();
  private final UUID chargedAgain = UUID.randomUUID();
  private final UUID mailed = UUID.randomUUID();
  private final UUID lost = UUID.randomUUID();
  private final Map<UUID, String> handlers = Map.of(charged, "charge", chargedAgain, "charge", mailed, "mail");

  @Test
  void decisions_count_completions_failures_retries_dead_letters_and_ledger_outcomes_by_handler() {
    Decisions decisions = new Decisions();
    decisions.completed.put(charged, JsonNodeFactory.instance.objectNode());
    decisions.completed.put(chargedAgain, JsonNodeFactory.instance.objectNode());
    decisions.retries.put(mailed, new Decisions.Retry(1_000, "{}"));
    decisions.failed.put(lost, new DeadLetters.Entry(lost, DeadLetters.Reason.PERMANENT_FAILURE, "{}"));
    decisions.ledger.add(ledgerRow("applied"));
    decisions.ledger.add(ledgerRow("applied"));
    decisions.ledger.add(ledgerRow("rejected"));

    try (TaskerMetrics metrics = new TaskerMetrics()) {
      ResultTally.of(decisions, handlers::get).recordTo(metrics);
      MeterRegistry registry = metrics.registry();

      assertThat(registry.get("tasker.steps.completed").tag("handler", "charge").counter().count()).isEqualTo(2);
      assertThat(registry.get("tasker.steps.retried").tag("handler", "mail").counter().count()).isEqualTo(1);
      assertThat(registry.get("tasker.steps.failed").tag("handler", "mail").counter().count()).isEqualTo(1);
      assertThat(registry.get("tasker.steps.failed").tag("handler", "unknown").counter().count()).isEqualTo(1);
      assertThat(registry.get("tasker.steps.dead.lettered").tags("handler", "unknown", "reason", "permanent_failure")
          .counter().count()).isEqualTo(1);
      assertThat(registry.get("tasker.results").tags("type", "partial_result", "outcome", "applied").counter().count())
          .isEqualTo(2);
      assertThat(registry.get("tasker.results").tags("type", "partial_result", "outcome", "rejected").counter().count())
          .isEqualTo(1);
    }
  }

  private static Decisions.LedgerRow ledgerRow(String outcome) {
    return new Decisions.LedgerRow(UUID.randomUUID(), UUID.randomUUID(), "partial_result", "w1", 1L, 1, "completed",
        5L, "{}", outcome, null, Instant.EPOCH);
  }
}
