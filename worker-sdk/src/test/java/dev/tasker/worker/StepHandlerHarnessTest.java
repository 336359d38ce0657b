package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepStatus;
import dev.tasker.worker.testing.StepHandlerHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepHandlerHarnessTest {

  record Order(long orderId, int quantity) {}

  private static final StepHandler DOUBLE_THE_QUANTITY =
      context -> {
        Order order = context.taskContextAs(Order.class);
        return StepResult.success(Map.of("order_id", order.orderId(), "doubled", order.quantity() * 2));
      };

  @Test
  void a_handler_sees_the_task_context_as_a_typed_record() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(DOUBLE_THE_QUANTITY)
            .taskContext(Map.of("orderId", 7, "quantity", 21))
            .run();

    assertThat(result).isInstanceOf(StepResult.Success.class);
    assertThat(((StepResult.Success) result).output().get("doubled").asInt()).isEqualTo(42);
  }

  @Test
  void a_handler_reads_previous_results_and_handler_config() throws Exception {
    StepHandler handler =
        context ->
            StepResult.success(
                context.previousResult("square").asLong() * context.handlerConfig().get("factor").asLong());

    StepResult result =
        StepHandlerHarness.forHandler(handler)
            .previousResult("square", 36)
            .handlerConfig(Map.of("factor", 2))
            .run();

    assertThat(((StepResult.Success) result).output().asLong()).isEqualTo(72L);
  }

  @Test
  void asking_for_a_missing_previous_result_names_the_available_ones() {
    StepHandler handler = context -> StepResult.success(context.previousResult("nope"));

    assertThatThrownBy(() -> StepHandlerHarness.forHandler(handler).previousResult("square", 1).run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nope'")
        .hasMessageContaining("square");
  }

  @Test
  void an_output_holding_a_nul_character_is_reported_as_a_retryable_invalid_output_not_sent_as_is() {
    StepHandler handler = context -> StepResult.success(java.util.Map.of("note", "a\u0000b"));

    PartialResult result = StepHandlerHarness.forHandler(handler).runAsWorker();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().errorType()).isEqualTo("invalid_output");
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().message()).contains("U+0000");
  }

  @Test
  void a_nul_character_in_an_error_message_is_replaced_so_the_failure_can_be_stored() {
    StepHandler handler = context -> {
      throw new IllegalStateException("bad byte \u0000 here");
    };

    PartialResult result = StepHandlerHarness.forHandler(handler).runAsWorker();

    assertThat(result.error().message()).isEqualTo("bad byte \uFFFD here");
  }

  @Test
  void a_thrown_exception_is_reported_by_a_worker_as_a_retryable_failure_with_its_backtrace() {
    StepHandler handler =
        context -> {
          throw new IllegalStateException("inventory service unreachable");
        };

    PartialResult result = StepHandlerHarness.forHandler(handler).runAsWorker();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(result.error().message()).isEqualTo("inventory service unreachable");
    assertThat(result.error().backtrace()).isNotEmpty();
  }

  @Test
  void a_retry_after_is_reported_in_milliseconds() {
    StepHandler handler = context -> StepResult.retryableFailure("rate limited", Duration.ofSeconds(3));

    PartialResult result = StepHandlerHarness.forHandler(handler).runAsWorker();

    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().retryAfterMs()).isEqualTo(3000L);
  }

  @Test
  void a_permanent_failure_is_reported_as_not_retryable() {
    StepHandler handler = context -> StepResult.permanentFailure("card_declined", "card declined");

    PartialResult result = StepHandlerHarness.forHandler(handler).runAsWorker();

    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().errorType()).isEqualTo("card_declined");
  }

  @Test
  void a_null_result_is_a_retryable_failure() {
    PartialResult result = StepHandlerHarness.forHandler(context -> null).runAsWorker();

    assertThat(result.status()).isEqualTo(StepStatus.FAILED);
    assertThat(result.error().errorType()).isEqualTo("null_result");
    assertThat(result.error().retryable()).isTrue();
  }

  @Test
  void the_context_reports_whether_attempts_are_left() {
    StepContext context = StepHandlerHarness.forHandler(c -> StepResult.success()).attempt(2, 3).context();

    assertThat(context.attempt()).isEqualTo(2);
    assertThat(context.hasAttemptsLeft()).isTrue();
  }

  @Test
  void a_batch_worker_runs_with_a_cursor_and_resumes_from_a_checkpoint() throws Exception {
    StepHandler sumRange =
        context -> {
          BatchCursor cursor = context.cursor().orElseThrow();
          long from = context.checkpoint().map(c -> c.path("cursor").asLong()).orElse(cursor.startCursor());
          long sum = context.accumulatedResults().map(a -> a.path("sum").asLong()).orElse(0L);
          for (long row = from; row < cursor.endCursor(); row++) {
            sum += row;
          }
          return StepResult.success(Map.of("from", from, "sum", sum));
        };

    StepResult result =
        StepHandlerHarness.forHandler(sumRange)
            .cursor(new BatchCursor("002", 200, 400, 200))
            .checkpoint(Map.of("cursor", 300, "items_processed", 100, "accumulated_results", Map.of("sum", 24950)))
            .run();

    assertThat(((StepResult.Success) result).output().get("from").asLong()).isEqualTo(300);
    assertThat(((StepResult.Success) result).output().get("sum").asLong()).isEqualTo(24950 + 34950);
  }
}
