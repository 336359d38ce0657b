package dev.tasker.examples.orderfulfillment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The order fulfillment task context, as the template's input_schema describes it.
 *
 * @param orderId the order's number
 * @param customer who ordered
 * @param items what was ordered
 * @param payment how it is paid
 * @param shipping how it is shipped
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Order(
    @JsonProperty("order_id") long orderId,
    Customer customer,
    List<Item> items,
    Payment payment,
    Shipping shipping) {

  /** Who ordered. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Customer(long id, String name, String email) {}

  /** One line of the order. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Item(String sku, int quantity, BigDecimal price) {}

  /** The payment method and its token. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Payment(String method, String token) {}

  /** The shipping method and address. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Shipping(String method, Map<String, Object> address) {}
}
