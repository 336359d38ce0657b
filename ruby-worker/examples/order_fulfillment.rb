# frozen_string_literal: true

# Ruby handlers for the order fulfillment template
# (worker-examples/src/main/resources/templates/order_fulfillment.yaml), a port of the Java ones in
# worker-examples/.../orderfulfillment: same callable names, same outputs, same failures.
#
#   validate_order ----\
#                       +--> process_payment --> ship_order
#   reserve_inventory -/
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/order_fulfillment.rb
require "bigdecimal"
require "digest/md5"
require "tasker/worker"

module OrderFulfillment
  # What the Java handlers' Jackson and java.util.UUID helpers do, so outputs match exactly.
  module JavaCompat
    module_function

    # java.util.UUID.nameUUIDFromBytes(text.getBytes()): an MD5 (version 3) UUID string.
    def name_uuid(text)
      bytes = Digest::MD5.digest(text.encode(Encoding::UTF_8)).bytes
      bytes[6] = (bytes[6] & 0x0f) | 0x30
      bytes[8] = (bytes[8] & 0x3f) | 0x80
      hex = bytes.pack("C*").unpack1("H*")
      "#{hex[0, 8]}-#{hex[8, 4]}-#{hex[12, 4]}-#{hex[16, 4]}-#{hex[20, 12]}"
    end

    # JsonNode#asText of a JSON value: numbers as Java prints them (1.0E7, not 10000000.0).
    def as_text(value)
      return value.to_s unless value.is_a?(Float) && value.finite? && !value.zero?
      return value.to_s if value.abs >= 1e-3 && value.abs < 1e7

      sign, digits, _base, exponent = BigDecimal(value.to_s).split
      "#{sign.negative? ? '-' : ''}#{digits[0]}.#{digits[1..].then { |d| d.empty? ? '0' : d }}E#{exponent - 1}"
    end

    # A JSON number as an exact decimal.
    def decimal(value, name)
      case value
      when Integer then BigDecimal(value)
      when Float then BigDecimal(value.to_s)
      when String then BigDecimal(value)
      else raise ArgumentError, "#{name} must be a number, got #{value.inspect}"
      end
    end

    # A decimal rounded half up to cents, as a JSON number.
    def cents(decimal)
      decimal.round(2, BigDecimal::ROUND_HALF_UP).to_f
    end
  end

  # order_fulfillment.validate_order: checks every item and computes subtotal, tax (the handler
  # config's tax_rate) and total. An invalid order fails permanently: retrying cannot fix it.
  class ValidateOrder < Tasker::StepHandler
    handles "order_fulfillment.validate_order"

    def call(context)
      items = context.task_context.fetch("items")
      max_items = context.handler_config.fetch("max_items", 100)
      max_items = 100 unless max_items.is_a?(Integer)
      if items.size > max_items
        return permanent_failure("order has #{items.size} items; at most #{max_items}", error_type: "invalid_order")
      end

      subtotal = BigDecimal(0)
      units = 0
      items.each do |item|
        price = JavaCompat.decimal(item.fetch("price"), "price")
        return permanent_failure("item #{item['sku']} has a negative price", error_type: "invalid_order") if price.negative?

        subtotal += price * item.fetch("quantity")
        units += item.fetch("quantity")
      end
      rate = JavaCompat.decimal(context.handler_config.fetch("tax_rate", "0"), "tax_rate")
      tax = (subtotal * rate).round(2, BigDecimal::ROUND_HALF_UP)
      success("order_id" => context.task_context.fetch("order_id"), "units" => units,
              "subtotal" => JavaCompat.cents(subtotal), "tax" => JavaCompat.cents(tax),
              "total" => JavaCompat.cents(subtotal + tax))
    end
  end

  # order_fulfillment.reserve_inventory: reserves each item in the configured warehouse. The
  # reservation ids derive from the step id, so running the step twice reserves nothing twice.
  class ReserveInventory < Tasker::StepHandler
    handles "order_fulfillment.reserve_inventory"

    def call(context)
      warehouse = context.handler_config["warehouse"]
      warehouse = warehouse.nil? ? "default" : JavaCompat.as_text(warehouse)
      reservations = context.task_context.fetch("items").map do |item|
        { "sku" => item["sku"], "quantity" => item["quantity"],
          "reservation_id" => JavaCompat.name_uuid("#{context.step_id}/#{item['sku']}") }
      end
      success("warehouse" => warehouse, "reservations" => reservations)
    end
  end

  # order_fulfillment.process_payment: charges the validated total once the inventory is reserved.
  # A simulated gateway: a token starting with tok_decline is declined (permanent failure); one
  # starting with tok_busy is refused on the first attempt with a retry-after of 200 ms (retryable
  # failure), then accepted. The transaction id derives from the step id, so a repeated attempt is
  # the same charge.
  class ProcessPayment < Tasker::StepHandler
    handles "order_fulfillment.process_payment"

    def call(context)
      payment = context.task_context.fetch("payment")
      token = payment.fetch("token")
      return permanent_failure("the payment gateway declined the card", error_type: "card_declined") if token.start_with?("tok_decline")
      return retryable_failure("the payment gateway is busy", retry_after_ms: 200) if token.start_with?("tok_busy") && context.attempt == 1

      total = JavaCompat.as_text(context.previous_result("validate_order").fetch("total"))
      reservations = context.previous_result("reserve_inventory").fetch("reservations").size
      transaction = "txn_#{JavaCompat.name_uuid(context.step_id).delete('-')[0, 12]}"
      success("transaction_id" => transaction, "amount" => total, "method" => payment["method"],
              "reservations_confirmed" => reservations, "attempts" => context.attempt)
    end
  end

  # order_fulfillment.ship_order: creates the shipment with the carrier configured for the shipping
  # method. It reads the payment's transaction id (its dependency) and the order id from
  # validate_order (an ancestor: previous results include every ancestor).
  class ShipOrder < Tasker::StepHandler
    handles "order_fulfillment.ship_order"

    DELIVERY_DAYS = { "overnight" => 1, "express" => 2 }.freeze

    def call(context)
      method = context.task_context.fetch("shipping").fetch("method")
      carrier = context.handler_config.fetch("carriers", {})[method]
      carrier = carrier.nil? ? "USPS" : JavaCompat.as_text(carrier)
      transaction = JavaCompat.as_text(context.previous_result("process_payment").fetch("transaction_id"))
      order_id = context.previous_result("validate_order").fetch("order_id")
      success("tracking_number" => "#{carrier.upcase}-#{order_id}-#{transaction[-6..] || transaction}",
              "carrier" => carrier, "estimated_delivery_days" => DELIVERY_DAYS.fetch(method, 5),
              "paid_by" => transaction)
    end
  end
end
