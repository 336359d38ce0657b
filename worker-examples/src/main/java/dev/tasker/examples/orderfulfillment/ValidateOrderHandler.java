package dev.tasker.examples.orderfulfillment;

import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * {@code order_fulfillment.validate_order}: checks every item and computes subtotal, tax (the
 * handler config's {@code tax_rate}) and total. An invalid order fails permanently: retrying
 * cannot fix it.
 */
public final class ValidateOrderHandler implements StepHandler {

  @Override
  public StepResult handle(StepContext context) {
    Order order = context.taskContextAs(Order.class);
    int maxItems = context.handlerConfig().path("max_items").asInt(100);
    if (order.items().size() > maxItems) {
      return StepResult.permanentFailure("invalid_order", "order has " + order.items().size() + " items; at most " + maxItems);
    }
    BigDecimal subtotal = BigDecimal.ZERO;
    int units = 0;
    for (Order.Item item : order.items()) {
      if (item.price().signum() < 0) {
        return StepResult.permanentFailure("invalid_order", "item " + item.sku() + " has a negative price");
      }
      subtotal = subtotal.add(item.price().multiply(BigDecimal.valueOf(item.quantity())));
      units += item.quantity();
    }
    BigDecimal rate = new BigDecimal(context.handlerConfig().path("tax_rate").asText("0"));
    BigDecimal tax = subtotal.multiply(rate).setScale(2, RoundingMode.HALF_UP);
    return StepResult.success(
        Map.of(
            "order_id", order.orderId(),
            "units", units,
            "subtotal", subtotal.setScale(2, RoundingMode.HALF_UP),
            "tax", tax,
            "total", subtotal.add(tax).setScale(2, RoundingMode.HALF_UP)));
  }
}
