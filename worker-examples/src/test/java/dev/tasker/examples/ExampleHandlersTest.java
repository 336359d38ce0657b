package dev.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.examples.diamond.DiamondHandlers;
import dev.tasker.examples.orderfulfillment.ProcessPaymentHandler;
import dev.tasker.examples.orderfulfillment.ShipOrderHandler;
import dev.tasker.examples.orderfulfillment.ValidateOrderHandler;
import dev.tasker.worker.StepResult;
import dev.tasker.worker.testing.StepHandlerHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleHandlersTest {

  private static JsonNode output(StepResult result) {
    assertThat(result).isInstanceOf(StepResult.Success.class);
    return ((StepResult.Success) result).output();
  }

  @Test
  void validate_order_computes_subtotal_tax_and_total() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(new ValidateOrderHandler())
            .taskContext(Orders.anOrder(42))
            .handlerConfig(Map.of("tax_rate", "0.08"))
            .run();

    assertThat(output(result).get("subtotal").decimalValue()).isEqualByComparingTo("45.48");
    assertThat(output(result).get("tax").decimalValue()).isEqualByComparingTo("3.64");
    assertThat(output(result).get("total").decimalValue()).isEqualByComparingTo("49.12");
    assertThat(output(result).get("units").asInt()).isEqualTo(3);
  }

  @Test
  void a_declined_card_is_a_permanent_failure() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(new ProcessPaymentHandler())
            .taskContext(Orders.anOrder(1, "tok_decline_insufficient_funds"))
            .run();

    assertThat(result).isInstanceOf(StepResult.PermanentFailure.class);
    assertThat(((StepResult.PermanentFailure) result).errorType()).isEqualTo("card_declined");
  }

  @Test
  void a_busy_gateway_asks_for_a_retry_on_the_first_attempt_only() throws Exception {
    StepHandlerHarness harness =
        StepHandlerHarness.forHandler(new ProcessPaymentHandler())
            .taskContext(Orders.anOrder(1, "tok_busy"))
            .previousResult("validate_order", Map.of("total", "49.12"))
            .previousResult("reserve_inventory", Map.of("reservations", java.util.List.of()));

    StepResult first = harness.attempt(1, 3).run();
    StepResult second = harness.attempt(2, 3).run();

    assertThat(first).isInstanceOf(StepResult.RetryableFailure.class);
    assertThat(((StepResult.RetryableFailure) first).retryAfterDelay()).contains(Duration.ofMillis(200));
    assertThat(output(second).get("amount").asText()).isEqualTo("49.12");
  }

  @Test
  void ship_order_uses_the_carrier_configured_for_the_shipping_method() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(new ShipOrderHandler())
            .taskContext(Orders.anOrder(42))
            .handlerConfig(Map.of("carriers", Map.of("express", "UPS")))
            .previousResult("process_payment", Map.of("transaction_id", "txn_0123456789ab"))
            .previousResult("validate_order", Map.of("order_id", 42))
            .run();

    assertThat(output(result).get("carrier").asText()).isEqualTo("UPS");
    assertThat(output(result).get("tracking_number").asText()).isEqualTo("UPS-42-6789ab");
  }

  @Test
  void the_diamond_end_multiplies_the_branches_and_squares_the_product() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(DiamondHandlers.END)
            .previousResult("diamond_branch_b", Map.of("value", 1296))
            .previousResult("diamond_branch_c", Map.of("value", 1296))
            .run();

    assertThat(output(result).get("value").asLong()).isEqualTo(2821109907456L);
  }

  @Test
  void an_overflowing_square_fails_permanently_instead_of_wrapping_around() throws Exception {
    StepResult result =
        StepHandlerHarness.forHandler(DiamondHandlers.START).taskContext(Map.of("even_number", 4_000_000_000L)).run();

    assertThat(result).isInstanceOf(StepResult.PermanentFailure.class);
  }
}
