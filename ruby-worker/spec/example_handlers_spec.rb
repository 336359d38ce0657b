# frozen_string_literal: true

%w[order_fulfillment polyglot conformance diamond approval_routing csv_inventory].each do |example|
  require File.join(Fixtures::RUBY_WORKER, "examples", "#{example}.rb")
end
require "tmpdir"

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
  describe "approval routing (a port of ApprovalHandlers.java)" do
    def route(amount)
      run("conditional_approval.routing_decision", previous_results: { "validate_request" => { "amount" => amount } },
                                                   handler_config: { "auto_approve_below" => 1000, "finance_review_above" => 5000 })
    end

    it "chooses auto_approve under 1,000, manager_approval up to 5,000 and finance_review too above" do
      chosen = [500, 999.99, 1000, 5000, 5000.01, 10_000].map { |amount| route(amount).output["decision_point_outcome"]["step_names"] }

      expect(chosen).to eq([["auto_approve"], ["auto_approve"], ["manager_approval"], ["manager_approval"],
                            %w[manager_approval finance_review], %w[manager_approval finance_review]])
      expect(route(10_000).output).to include("amount" => 10_000, "approvals_required" => %w[manager_approval finance_review])
    end

    it "fails a request without a positive amount permanently" do
      expect(run("conditional_approval.validate_request", task_context: { "amount" => 0 }))
        .to have_attributes(error_type: "invalid_request", retryable?: false)
      expect(run("conditional_approval.validate_request", task_context: { "amount" => 3000 }).output)
        .to eq("amount" => 3000, "requester" => "unknown")
    end

    it "finalizes with exactly the approvals among its previous results" do
      finalized = run("conditional_approval.finalize_approval", previous_results: {
                        "validate_request" => { "amount" => 10_000 }, "routing_decision" => { "amount" => 10_000 },
                        "manager_approval" => { "approver" => "manager", "approved" => true },
                        "finance_review" => { "approver" => "finance", "approved" => true }
                      })

      expect(finalized.output).to eq("approved" => true, "approvals" => %w[finance_review manager_approval],
                                     "approvers" => %w[finance manager], "amount" => 10_000)
    end
  end

  describe "CSV inventory analysis (a port of CsvInventoryHandlers.java)" do
    around do |example|
      Dir.mktmpdir do |dir|
        @csv = File.join(dir, "inventory.csv")
        lines = (1..400).map { |i| "#{i},SKU-#{format('%05d', i)},#{%w[beauty laptops groceries][i % 3]},#{i % 90}.#{format('%02d', i % 100)},#{i % 7}" }
        File.write(@csv, "#{CsvInventory::HEADER}\n#{lines.join("\n")}\n")
        example.run
      end
    end

    def expected_totals(range)
      rows = File.readlines(@csv, chomp: true).drop(1)[range].map { |line| line.split(",") }
      { "rows" => rows.size, "units" => rows.sum { |r| Integer(r[4], 10) },
        "inventory_value_cents" => rows.sum { |r| Integer(r[3].delete("."), 10) * Integer(r[4], 10) },
        "categories" => rows.group_by { |r| r[2] }.transform_values(&:size).sort.to_h }
    end

    it "plans one batch worker per 200 rows" do
      outcome = run("csv_processing.analyze_csv", task_context: { "csv_path" => @csv }, handler_config: { "batch_size" => 200 })
                .output["batch_processing_outcome"]

      expect(outcome).to include("worker_template_name" => "process_csv_batch", "worker_count" => 2, "total_items" => 400)
    end

    it "checkpoints every 50 rows and, resumed from each checkpoint, ends with the range's totals" do
      options = { task_context: { "csv_path" => @csv }, handler_config: { "checkpoint_every" => 50 },
                  inputs: { "cursor" => { "batch_id" => "002", "start_cursor" => 200, "end_cursor" => 400, "batch_size" => 200 } } }
      result = run("csv_processing.process_csv_batch", **options)
      cursors = []
      while result.yielded?
        cursors << result.checkpoint["cursor"]
        result = run("csv_processing.process_csv_batch", **options, checkpoint: result.checkpoint)
      end

      expect(cursors).to eq([250, 300, 350])
      expect(result.output).to eq(expected_totals(200...400).merge("batch_id" => "002"))
    end

    it "adds up the batch workers and refuses totals that miss rows" do
      workers = { "process_csv_batch_001" => expected_totals(0...200), "process_csv_batch_002" => expected_totals(200...400) }
      total = run("csv_processing.aggregate_csv_results", previous_results: workers.merge("analyze_csv" => { "rows" => 400 }))
      short = run("csv_processing.aggregate_csv_results", previous_results: workers.merge("analyze_csv" => { "rows" => 401 }))

      expect(total.output).to eq(expected_totals(0...400).merge("batch_workers" => 2))
      expect(short).to have_attributes(error_type: "row_count_mismatch", retryable?: false)
    end
  end
end
