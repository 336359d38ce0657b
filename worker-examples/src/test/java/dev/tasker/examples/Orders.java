package dev.tasker.examples;

import java.util.List;
import java.util.Map;

/** Order fulfillment task contexts for tests and the demo. */
public final class Orders {

  private Orders() {}

  /** A valid order paid with {@code token}. */
  public static Map<String, Object> anOrder(long orderId, String token) {
    return Map.of(
        "order_id", orderId,
        "customer", Map.of("id", 7, "name", "Ada Lovelace", "email", "ada@example.com"),
        "items", List.of(
            Map.of("sku", "WIDGET-1", "quantity", 2, "price", 19.99),
            Map.of("sku", "GADGET-9", "quantity", 1, "price", 5.50)),
        "payment", Map.of("method", "credit_card", "token", token),
        "shipping", Map.of("method", "express", "address", Map.of("city", "London")));
  }

  /** A valid order that the simulated gateway accepts. */
  public static Map<String, Object> anOrder(long orderId) {
    return anOrder(orderId, "tok_visa");
  }
}
