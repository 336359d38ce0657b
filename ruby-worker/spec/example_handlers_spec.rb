# frozen_string_literal: true

%w[order_fulfillment polyglot conformance diamond].each do |example|
  require File.join(Fixtures::RUBY_WORKER, "examples", "#{example}.rb")
end

RSpec.describe "the example handlers" do
  def run(name, **options)
    Tasker::Testing.run_handler(name, **options)
  end

  describe "order fulfillment (a port of the Java handlers)" do
    let(:step_id) { "0192f3a4-6000-7111-8222-333344445555" }
    let(:order) do
      { "order_id" => 12_345, "customer" => { "id" => 7, "name" => "Ada", "email" => "ada@example.com" },
        "items" => [{ "sku" => "WIDGET-1", "quantity" => 2, "price" => 19.99 }, { "sku" => "GADGET-2", "quantity" => 1, "price" => 20 }],
        "payment" => { "method" => "credit_card", "token" => "tok_visa" },
        "shipping" => { "method" => "express", "address" => { "city" => "Lyon" } } }
    end
    let(:validated) do
      run("order_fulfillment.validate_order", task_context: order, handler_config: { "tax_rate" => 0.08, "max_items" => 100 }).output
    end
    let(:reserved) do
      run("order_fulfillment.reserve_inventory", task_context: order, step_id: step_id, handler_config: { "warehouse" => "east-1" }).output
    end

    def pay(token: "tok_visa", attempt: 1)
      run("order_fulfillment.process_payment", task_context: order.merge("payment" => { "method" => "credit_card", "token" => token }),
                                               step_id: step_id, attempt: attempt, handler_config: { "gateway" => "simulated" },
                                               previous_results: { "validate_order" => validated, "reserve_inventory" => reserved })
    end

    it "validates the order: units, subtotal, tax at the configured rate (half up) and total" do
      expect(validated).to eq("order_id" => 12_345, "units" => 3, "subtotal" => 59.98, "tax" => 4.8, "total" => 64.78)
    end

    it "fails an order with too many items or a negative price permanently" do
      too_many = run("order_fulfillment.validate_order", task_context: order, handler_config: { "max_items" => 1 })
      negative = run("order_fulfillment.validate_order",
                     task_context: order.merge("items" => [{ "sku" => "X", "quantity" => 1, "price" => -1 }]))

      expect(too_many).to have_attributes(error_type: "invalid_order", message: "order has 2 items; at most 1")
      expect(negative).to have_attributes(error_type: "invalid_order", message: "item X has a negative price")
      expect([too_many, negative]).to all(satisfy { |r| !r.retryable? })
    end

    it "reserves each item with ids derived from the step id, as Java's UUID.nameUUIDFromBytes (values checked with jshell)" do
      expect(reserved).to eq("warehouse" => "east-1", "reservations" => [
                               { "sku" => "WIDGET-1", "quantity" => 2, "reservation_id" => "9ff59391-5fc4-31ce-a5f2-b8a3bcaf0a72" },
                               { "sku" => "GADGET-2", "quantity" => 1, "reservation_id" => "3beac458-abca-3e40-9e9c-2472155297e4" }
                             ])
      expect(OrderFulfillment::JavaCompat.name_uuid("#{step_id}/A")).to eq("f1b6e395-6a81-355d-890e-4c51880a1e1e")
    end

    it "charges the total, with a transaction id derived from the step id" do
      expect(pay.output).to eq("transaction_id" => "txn_b0393188fdbd", "amount" => "64.78", "method" => "credit_card",
                               "reservations_confirmed" => 2, "attempts" => 1)
    end

    it "declines tok_decline permanently and refuses tok_busy once, retryably after 200 ms" do
      expect(pay(token: "tok_decline_1")).to have_attributes(error_type: "card_declined", retryable?: false,
                                                             message: "the payment gateway declined the card")
      expect(pay(token: "tok_busy_1")).to have_attributes(error_type: "handler_error", retryable?: true, retry_after_ms: 200,
                                                          message: "the payment gateway is busy")
      expect(pay(token: "tok_busy_1", attempt: 2).output["attempts"]).to eq(2)
    end

    it "ships with the carrier configured for the shipping method" do
      shipped = run("order_fulfillment.ship_order", task_context: order,
                                                    handler_config: { "carriers" => { "standard" => "USPS", "express" => "UPS" } },
                                                    previous_results: { "validate_order" => validated, "process_payment" => pay.output })

      expect(shipped.output).to eq("tracking_number" => "UPS-12345-88fdbd", "carrier" => "UPS",
                                   "estimated_delivery_days" => 2, "paid_by" => "txn_b0393188fdbd")
    end

    it "fails retryably, as the Java handlers do, when an input it needs is missing" do
      result = run("order_fulfillment.process_payment", task_context: order, previous_results: {})

      expect(result).to have_attributes(error_type: "ArgumentError", retryable?: true)
      expect(result.message).to include("no previous result 'validate_order'")
    end

    it "prints numbers in text fields as Java does" do
      expect(OrderFulfillment::JavaCompat.as_text(1.0e7)).to eq("1.0E7")
      expect(OrderFulfillment::JavaCompat.as_text(0.000123)).to eq("1.23E-4")
      expect(OrderFulfillment::JavaCompat.as_text(64.0)).to eq("64.0")
    end
  end

  describe "polyglot (the Ruby half of polyglot/polyglot_order)" do
    it "computes the tax in basis points, rounded half up to a cent" do
      result = run("polyglot.calculate_tax", handler_config: { "tax_rate_basis_points" => 825 },
                                             previous_results: { "validate_cart" => { "subtotal_cents" => 5997 } })

      expect(result.output).to eq("tax_cents" => 495, "calculated_by" => "ruby") # 494.75 -> 495
    end

    it "scores fraud as the sum of the email's UTF-8 bytes modulo 100" do
      expect(run("polyglot.score_fraud", task_context: { "customer_email" => "ada@example.com" }).output)
        .to eq("fraud_score" => "ada@example.com".bytes.sum % 100, "scored_by" => "ruby")
      expect(run("polyglot.score_fraud", task_context: { "customer_email" => "é@x" }).output["fraud_score"])
        .to eq((0xc3 + 0xa9 + 64 + 120) % 100)
    end

    it "writes the receipt from the authorization" do
      result = run("polyglot.send_receipt", task_context: { "order_id" => 42 },
                                            previous_results: { "authorize_payment" => { "total_cents" => 6492, "authorized" => false,
                                                                                         "authorized_by" => "java" } })

      expect(result.output).to eq("receipt" => "order 42: 6492 cents, authorized=false", "sent_by" => "ruby")
    end

    it "fails permanently on missing or invalid inputs, naming the field" do
      expect(run("polyglot.calculate_tax", handler_config: { "tax_rate_basis_points" => 825 },
                                           previous_results: { "validate_cart" => { "subtotal_cents" => "12" } }))
        .to have_attributes(error_type: "invalid_input", retryable?: false,
                            message: "validate_cart.subtotal_cents must be an integer >= 0, got \"12\"")
      expect(run("polyglot.score_fraud", task_context: {}).message).to include("task_context.customer_email")
      expect(run("polyglot.send_receipt", task_context: { "order_id" => 1 }).message).to eq("previous result authorize_payment is missing")
      expect(run("polyglot.send_receipt", task_context: { "order_id" => 1 },
                                          previous_results: { "authorize_payment" => { "total_cents" => 1, "authorized" => "yes" } }).message)
        .to include("authorize_payment.authorized must be true or false")
    end
  end

  describe "conformance" do
    it "echoes what the step received" do
      result = run("conformance.echo", task_context: { "a" => [1] }, handler_config: { "b" => true },
                                       previous_results: { "first" => { "c" => 3 } }, step_name: "second", attempt: 2, max_attempts: 3)

      expect(result.output).to eq("task_context" => { "a" => [1] }, "handler_config" => { "b" => true },
                                  "previous_results" => { "first" => { "c" => 3 } }, "step_name" => "second", "attempt" => 2)
    end

    it "sleeps sleep_ms and reports when it began and ended, in epoch milliseconds" do
      before = Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
      output = run("conformance.sleep", task_context: { "sleep_ms" => 50 }).output

      expect(output["started_at_ms"]).to be >= before
      expect(output["finished_at_ms"] - output["started_at_ms"]).to be_between(50, 500)
    end

    it "fails retryably, permanently or by raising, as the kit expects" do
      expect(run("conformance.retryable", task_context: { "message" => "later", "retry_after_ms" => 250 }))
        .to have_attributes(message: "later", error_type: "conformance_retryable", retry_after_ms: 250, retryable?: true)
      expect(run("conformance.retryable", task_context: {}))
        .to have_attributes(message: "retryable failure", retry_after_ms: nil)
      expect(run("conformance.permanent", task_context: {}))
        .to have_attributes(message: "permanent failure", error_type: "conformance_permanent", retryable?: false)
      expect(run("conformance.raise", task_context: { "message" => "boom" }))
        .to have_attributes(message: "boom", error_type: "RuntimeError", retryable?: true)
      expect(run("conformance.raise", task_context: {}).message).to eq("raised")
    end
  end

  describe "diamond" do
    it "squares along the diamond and fails permanently on 64-bit overflow" do
      start = run("diamond.start", task_context: { "even_number" => 6 }).output
      branch = run("diamond.branch_b", previous_results: { "diamond_start" => start }).output
      finish = run("diamond.end", previous_results: { "diamond_branch_b" => branch, "diamond_branch_c" => branch })

      expect([start, branch, finish.output]).to eq([{ "value" => 36 }, { "value" => 1296 }, { "value" => 1296**4 }])
      expect(run("diamond.end", previous_results: { "diamond_branch_b" => { "value" => 2**40 }, "diamond_branch_c" => { "value" => 2**40 } }))
        .to have_attributes(error_type: "overflow", retryable?: false)
    end
  end
end
