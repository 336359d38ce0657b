package dev.tasker.examples;

import dev.tasker.examples.approval.ApprovalHandlers;
import dev.tasker.examples.csvinventory.CsvInventoryHandlers;
import dev.tasker.examples.diamond.DiamondHandlers;
import dev.tasker.examples.polyglot.PolyglotHandlers;
import dev.tasker.examples.orderfulfillment.ProcessPaymentHandler;
import dev.tasker.examples.orderfulfillment.ReserveInventoryHandler;
import dev.tasker.examples.orderfulfillment.ShipOrderHandler;
import dev.tasker.examples.orderfulfillment.ValidateOrderHandler;
import dev.tasker.worker.StepHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every example handler by its callable name, ready for {@code StepWorker.Builder#handlers}. */
public final class ExampleHandlers {

  private ExampleHandlers() {}

  /**
   * Order fulfillment, diamond, the Java half of the polyglot workflow, approval routing and CSV
   * inventory analysis.
   */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put("order_fulfillment.validate_order", new ValidateOrderHandler());
    handlers.put("order_fulfillment.reserve_inventory", new ReserveInventoryHandler());
    handlers.put("order_fulfillment.process_payment", new ProcessPaymentHandler());
    handlers.put("order_fulfillment.ship_order", new ShipOrderHandler());
    handlers.putAll(DiamondHandlers.all());
    handlers.putAll(PolyglotHandlers.all());
    handlers.putAll(ApprovalHandlers.all());
    handlers.putAll(CsvInventoryHandlers.all());
    return handlers;
  }
}
