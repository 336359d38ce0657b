package dev.tasker.cli;

import dev.tasker.orchestrator.TaskRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's tasks: orders (every tenth meets a busy payment gateway and is retried), diamonds
 * over the even numbers 2 to 12, and polyglot carts whose steps alternate between Java and Ruby. Every context carries the run id, so runs against the same
 * database never collide with earlier ones.
 */
final class DemoWorkload {

  private DemoWorkload() {}

  /** Steps of the workload: four per order and per diamond, five per polyglot task. */
  static int steps(int orders, int diamonds, int polyglot) {
    return 4 * orders + 4 * diamonds + 5 * polyglot;
  }

  static List<TaskRequest> requests(String run, int orders, int diamonds, int polyglot) {
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < Math.max(Math.max(orders, diamonds), polyglot); i++) {
      if (i < orders) {
        requests.add(TaskRequest.builder("order_fulfillment", "process_order")
            .context(order(run, 1001 + i, i % 10 == 9 ? "tok_busy" : "tok_visa")).initiator("demo").build());
      }
      if (i < diamonds) {
        requests.add(TaskRequest.builder("diamond_workflow", "parallel_computation")
            .context(Map.of("even_number", 2 + 2 * ((i + 2) % 6), "demo_run", run, "index", i))
            .initiator("demo").build());
      }
      if (i < polyglot) {
        requests.add(TaskRequest.builder("polyglot", "polyglot_order")
            .context(cart(run, 5001 + i)).initiator("demo").build());
      }
    }
    return requests;
  }

  private static Map<String, Object> cart(String run, long orderId) {
    Map<String, Object> cart = new LinkedHashMap<>();
    cart.put("order_id", orderId);
    cart.put("demo_run", run);
    cart.put("customer_email", "buyer" + orderId + "@example.com");
    cart.put("items", List.of(
        Map.of("sku", "BOOK-" + (orderId % 11), "quantity", 1 + orderId % 4, "unit_price_cents", 1299),
        Map.of("sku", "PEN-" + (orderId % 3), "quantity", 3, "unit_price_cents", 150)));
    return cart;
  }

  private static Map<String, Object> order(String run, long orderId, String token) {
    Map<String, Object> order = new LinkedHashMap<>();
    order.put("order_id", orderId);
    order.put("demo_run", run);
    order.put("customer", Map.of("id", orderId % 97, "name", "Customer " + orderId, "email", "c" + orderId + "@example.com"));
    order.put("items", List.of(
        Map.of("sku", "WIDGET-" + (orderId % 7), "quantity", 1 + orderId % 3, "price", 19.99),
        Map.of("sku", "GADGET-" + (orderId % 5), "quantity", 1, "price", 5.50)));
    order.put("payment", Map.of("method", "credit_card", "token", token));
    order.put("shipping", Map.of("method", orderId % 2 == 0 ? "express" : "standard", "address", Map.of("city", "Lisbon")));
    return order;
  }
}
