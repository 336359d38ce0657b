package dev.tasker.examples.orderfulfillment;

import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.Map;

/**
 * {@code order_fulfillment.ship_order}: creates the shipment with the carrier configured for the
 * shipping method. It reads the payment's transaction id (its dependency) and the order id from
 * validate_order (an ancestor: previous results include every ancestor).
 */
public final class ShipOrderHandler implements StepHandler {

  @Override
  public StepResult handle(StepContext context) {
    Order order = context.taskContextAs(Order.class);
    String carrier = context.handlerConfig().path("carriers").path(order.shipping().method()).asText("USPS");
    String transaction = context.previousResult("process_payment").get("transaction_id").asText();
    long orderId = context.previousResult("validate_order").get("order_id").asLong();
    String tracking = carrier.toUpperCase() + "-" + orderId + "-" + transaction.substring(transaction.length() - 6);
    int days = switch (order.shipping().method()) {
      case "overnight" -> 1;
      case "express" -> 2;
      default -> 5;
    };
    return StepResult.success(
        Map.of("tracking_number", tracking, "carrier", carrier, "estimated_delivery_days", days, "paid_by", transaction));
  }
}
