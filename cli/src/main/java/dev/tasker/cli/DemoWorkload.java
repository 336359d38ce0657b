package dev.tasker.cli;

import dev.tasker.orchestrator.TaskRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's tasks: orders (every tenth meets a busy payment gateway and is retried), diamonds
 * over the even numbers 2 to 12, polyglot carts whose steps alternate between Java and Ruby,
 * approval requests cycling through {@link #APPROVAL_AMOUNTS} (one per route) and CSV inventory
 * analyses of a generated file. Every context carries the run id, so runs against the same database
 * never collide with earlier ones.
 */
final class DemoWorkload {

  /** Approval amounts, one per route: auto approval, manager approval, manager and finance review. */
  static final List<Integer> APPROVAL_AMOUNTS = List.of(500, 3000, 10000);

  /** Rows of the demo's CSV file: five batch workers of 200 rows. */
  static final int CSV_ROWS = 1000;

  private DemoWorkload() {}

  /**
   * Steps of the workload: four per order and per diamond, five per polyglot task, three plus the
   * approvals its amount needs per approval request, seven per CSV analysis (analyze, five batch
   * workers, aggregate).
   */
  static int steps(int orders, int diamonds, int polyglot, int approvals, int csvs) {
    int approvalSteps = 0;
    for (int i = 0; i < approvals; i++) {
      approvalSteps += APPROVAL_AMOUNTS.get(i % APPROVAL_AMOUNTS.size()) > 5000 ? 5 : 4;
    }
    return 4 * orders + 4 * diamonds + 5 * polyglot + approvalSteps + 7 * csvs;
  }

  /**
   * The tasks, interleaved.
   *
   * @param csvFile the generated product CSV the CSV analyses read (needed when {@code csvs > 0})
   */
  static List<TaskRequest> requests(String run, int orders, int diamonds, int polyglot, int approvals, int csvs,
      Path csvFile) {
    List<TaskRequest> requests = new ArrayList<>();
    int most = Math.max(Math.max(Math.max(orders, diamonds), polyglot), Math.max(approvals, csvs));
    for (int i = 0; i < most; i++) {
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
      if (i < approvals) {
        requests.add(TaskRequest.builder("conditional_approval", "approval_routing")
            .context(Map.of("amount", APPROVAL_AMOUNTS.get(i % APPROVAL_AMOUNTS.size()), "requester", "demo-" + i,
                "demo_run", run)).initiator("demo").build());
      }
      if (i < csvs) {
        requests.add(TaskRequest.builder("csv_processing", "csv_inventory_analysis")
            .context(Map.of("csv_path", csvFile.toAbsolutePath().toString(), "demo_run", run)).initiator("demo").build());
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
