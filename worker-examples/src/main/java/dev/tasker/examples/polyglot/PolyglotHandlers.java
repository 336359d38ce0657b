package dev.tasker.examples.polyglot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.worker.StepContext;
import dev.tasker.worker.StepHandler;
import dev.tasker.worker.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java half of the mixed workflow {@code polyglot/polyglot_order}: {@code
 * polyglot.validate_cart} and {@code polyglot.authorize_payment}. The Ruby half ({@code
 * polyglot.calculate_tax}, {@code polyglot.score_fraud}, {@code polyglot.send_receipt}) is in
 * {@code ruby-worker/examples/polyglot.rb}. Amounts are integer cents, so both languages compute
 * the same numbers.
 */
public final class PolyglotHandlers {

  private PolyglotHandlers() {}

  /** The Java handlers of the mixed workflow by callable name. */
  public static Map<String, StepHandler> all() {
    Map<String, StepHandler> handlers = new LinkedHashMap<>();
    handlers.put("polyglot.validate_cart", PolyglotHandlers::validateCart);
    handlers.put("polyglot.authorize_payment", PolyglotHandlers::authorizePayment);
    return handlers;
  }

  /** Counts the items and sums quantity times unit price; an invalid item fails permanently. */
  static StepResult validateCart(StepContext context) {
    JsonNode order = context.taskContext();
    JsonNode items = order.path("items");
    if (!items.isArray() || items.isEmpty()) {
      return StepResult.permanentFailure("invalid_cart", "items must be a non-empty array");
    }
    long itemCount = 0;
    long subtotal = 0;
    for (int i = 0; i < items.size(); i++) {
      JsonNode quantity = items.get(i).path("quantity");
      JsonNode price = items.get(i).path("unit_price_cents");
      if (!quantity.canConvertToLong() || quantity.asLong() < 1 || !quantity.isIntegralNumber()) {
        return StepResult.permanentFailure("invalid_cart", "items[" + i + "].quantity must be an integer >= 1");
      }
      if (!price.isIntegralNumber() || !price.canConvertToLong() || price.asLong() < 0) {
        return StepResult.permanentFailure("invalid_cart", "items[" + i + "].unit_price_cents must be an integer >= 0");
      }
      itemCount += quantity.asLong();
      subtotal = Math.addExact(subtotal, Math.multiplyExact(quantity.asLong(), price.asLong()));
    }
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("order_id", order.path("order_id").asLong());
    output.put("item_count", itemCount);
    output.put("subtotal_cents", subtotal);
    output.put("validated_by", "java");
    return StepResult.success(output);
  }

  /** Authorizes subtotal plus tax when the fraud score is below the configured maximum. */
  static StepResult authorizePayment(StepContext context) {
    JsonNode subtotal = context.previousResult("validate_cart").path("subtotal_cents");
    JsonNode tax = context.previousResult("calculate_tax").path("tax_cents");
    JsonNode score = context.previousResult("score_fraud").path("fraud_score");
    if (!subtotal.isIntegralNumber() || !tax.isIntegralNumber() || !score.isIntegralNumber()) {
      return StepResult.permanentFailure("invalid_input",
          "validate_cart.subtotal_cents, calculate_tax.tax_cents and score_fraud.fraud_score must be integers");
    }
    long maxScore = context.handlerConfig().path("max_fraud_score").asLong(90);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("total_cents", Math.addExact(subtotal.asLong(), tax.asLong()));
    output.put("authorized", score.asLong() < maxScore);
    output.put("authorized_by", "java");
    return StepResult.success(output);
  }
}
