package dev.tasker.examples.orderfulfillment;

import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * {@code order_fulfillment.process_payment}: charges the validated total once the inventory is
 * reserved. A simulated gateway: a token starting with {@code tok_decline} is declined (permanent
 * failure); one starting with {@code tok_busy} is refused on the first attempt with a retry-after
 * of 200 ms (retryable failure), then accepted. The transaction id derives from the step id, so a
 * repeated attempt is the same charge.
 */
public final class ProcessPaymentHandler implements StepHandler {

  @Override
  public StepResult handle(StepContext context) {
    Order order = context.taskContextAs(Order.class);
    String token = order.payment().token();
    if (token.startsWith("tok_decline")) {
      return StepResult.permanentFailure("card_declined", "the payment gateway declined the card");
    }
    if (token.startsWith("tok_busy") && context.attempt() == 1) {
      return StepResult.retryableFailure("the payment gateway is busy", Duration.ofMillis(200));
    }
    String total = context.previousResult("validate_order").get("total").asText();
    int reservations = context.previousResult("reserve_inventory").get("reservations").size();
    String transaction = "txn_" + UUID.nameUUIDFromBytes(context.stepId().toString().getBytes()).toString().replace("-", "").substring(0, 12);
    return StepResult.success(
        Map.of(
            "transaction_id", transaction,
            "amount", total,
            "method", order.payment().method(),
            "reservations_confirmed", reservations,
            "attempts", context.attempt()));
  }
}
