package dev.tasker.examples.orderfulfillment;

import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code order_fulfillment.reserve_inventory}: reserves each item in the configured warehouse. The
 * reservation ids derive from the step id, so running the step twice reserves nothing twice (the
 * idempotency every handler with side effects needs).
 */
public final class ReserveInventoryHandler implements StepHandler {

  @Override
  public StepResult handle(StepContext context) {
    Order order = context.taskContextAs(Order.class);
    String warehouse = context.handlerConfig().path("warehouse").asText("default");
    List<Map<String, Object>> reservations = new ArrayList<>();
    for (Order.Item item : order.items()) {
      String id = UUID.nameUUIDFromBytes((context.stepId() + "/" + item.sku()).getBytes()).toString();
      reservations.add(Map.of("sku", item.sku(), "quantity", item.quantity(), "reservation_id", id));
    }
    return StepResult.success(Map.of("warehouse", warehouse, "reservations", reservations));
  }
}
