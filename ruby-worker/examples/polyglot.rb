# frozen_string_literal: true

# The Ruby half of the mixed Java + Ruby workflow polyglot/polyglot_order
# (worker-examples/src/main/resources/templates/polyglot.yaml): calculate_tax, score_fraud and
# send_receipt. The Java half (validate_cart, authorize_payment) is PolyglotHandlers.java. Amounts
# are integer cents, so both languages compute the same numbers. Missing or invalid inputs fail
# permanently (error_type "invalid_input"), naming the field: retrying cannot fix them.
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/polyglot.rb
require "tasker/worker"

module Polyglot
  # Reads the inputs of a step; #invalid! ends the step with a permanent failure.
  class Handler < Tasker::StepHandler
    Invalid = Class.new(StandardError)

    def call(context)
      @context = context
      compute
    rescue Invalid => e
      permanent_failure(e.message, error_type: "invalid_input")
    end

    private

    attr_reader :context

    # The integer at +key+ of +object+; +where+ names the object in the message.
    def integer(object, key, where, minimum: nil)
      value = object.is_a?(Hash) ? object[key] : nil
      unless value.is_a?(Integer) && (minimum.nil? || value >= minimum)
        invalid!("#{where}.#{key} must be an integer#{minimum ? " >= #{minimum}" : ''}, got #{value.inspect}")
      end
      value
    end

    def previous(step)
      output = context.previous_results[step]
      invalid!("previous result #{step} is missing") unless output.is_a?(Hash)
      output
    end

    def invalid!(message)
      raise Invalid, message
    end
  end

  # polyglot.calculate_tax: the tax on validate_cart's subtotal, rounded half up to a cent.
  class CalculateTax < Handler
    handles "polyglot.calculate_tax"

    def compute
      subtotal = integer(previous("validate_cart"), "subtotal_cents", "validate_cart", minimum: 0)
      basis_points = integer(context.handler_config, "tax_rate_basis_points", "handler_config", minimum: 0)
      { "tax_cents" => ((subtotal * basis_points) + 5000) / 10_000, "calculated_by" => "ruby" }
    end
  end

  # polyglot.score_fraud: a deterministic score, the sum of the email's UTF-8 bytes modulo 100.
  class ScoreFraud < Handler
    handles "polyglot.score_fraud"

    def compute
      email = context.task_context["customer_email"]
      invalid!("task_context.customer_email must be a non-empty string, got #{email.inspect}") unless email.is_a?(String) && !email.empty?
      { "fraud_score" => email.bytes.sum % 100, "scored_by" => "ruby" }
    end
  end

  # polyglot.send_receipt: the receipt line for the authorized total.
  class SendReceipt < Handler
    handles "polyglot.send_receipt"

    def compute
      order_id = integer(context.task_context, "order_id", "task_context", minimum: 1)
      payment = previous("authorize_payment")
      total = integer(payment, "total_cents", "authorize_payment", minimum: 0)
      authorized = payment["authorized"]
      invalid!("authorize_payment.authorized must be true or false, got #{authorized.inspect}") unless [true, false].include?(authorized)
      { "receipt" => "order #{order_id}: #{total} cents, authorized=#{authorized}", "sent_by" => "ruby" }
    end
  end
end
