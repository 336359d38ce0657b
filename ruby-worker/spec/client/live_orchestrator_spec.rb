# frozen_string_literal: true

require "fileutils"
require "tasker/client"
require_relative "../support/live_orchestrator"

RSpec.describe Tasker::Client, "against a live orchestrator" do
  # One orchestrator for the file: starting one (a JVM and a PostgreSQL) takes seconds.
  before(:context) { @live = LiveOrchestrator.new.start }
  after(:context) { @live&.stop }

  let(:client) { described_class.new(@live.url, token: LiveOrchestrator::OPERATE_TOKEN) }

  def an_order(token: "tok_visa")
    { "order_id" => rand(1..1_000_000), "customer" => { "id" => 7, "name" => "Ada", "email" => "ada@example.com" },
      "items" => [{ "sku" => "WIDGET-1", "quantity" => 2, "price" => 19.99 }],
      "payment" => { "method" => "credit_card", "token" => token },
      "shipping" => { "method" => "express", "address" => { "city" => "Lyon" } } }
  end

  def a_polyglot_order
    { "order_id" => rand(1..1_000_000), "customer_email" => "ada@example.com",
      "items" => [{ "sku" => "X", "quantity" => 1, "unit_price_cents" => 100 }] }
  end

  def step(task, name)
    task.fetch("steps").find { |s| s["name"] == name } or raise "no step #{name} in #{task}"
  end

  it "creates a task that the worker runs, reads it back, and gets the same task for the same request" do
    context = { "even_number" => 6, "nonce" => SecureRandom.hex(4) }
    created = client.create(namespace: "diamond_workflow", name: "parallel_computation", context: context)
    again = client.create(namespace: "diamond_workflow", name: "parallel_computation", context: context)

    expect(created).to include("created" => true, "step_count" => 4, "template" => "diamond_workflow/parallel_computation:1.0.0")
    expect(again).to eq(created.merge("created" => false))
    task = client.wait(created["task_id"], timeout: 30, interval: 0.1)
    expect(task["state"]).to eq("complete"), @live.worker_log
    expect(step(task, "diamond_end")["output"]).to eq("value" => 6**16)
    expect(task["edges"]).to include("from" => "diamond_start", "to" => "diamond_branch_b")
    expect(client.get(created["task_id"])).to eq(task)
  end

  it "raises the API's problems: an invalid context names the field, an unknown template its name" do
    expect { client.create(namespace: "diamond_workflow", name: "parallel_computation", context: { "even_number" => 7 }) }
      .to raise_error(Tasker::ApiError) { |e|
        expect([e.status, e.kind]).to eq([422, "invalid-context"])
        expect(e.errors.map { |error| error["pointer"] }).to include("$.context.even_number")
      }
    expect { client.create(namespace: "diamond_workflow", name: "nope") }
      .to raise_error(Tasker::ApiError) { |e| expect([e.status, e.kind]).to eq([404, "unknown-template"]) }
    expect(client.get("0193a1b2-0000-7000-8000-000000000001")).to be_nil
  end

  it "is refused without a token (401) and with a read token when it changes something (403)" do
    reader = described_class.new(@live.url, token: LiveOrchestrator::READ_TOKEN)
    anonymous = described_class.new(@live.url, token: nil)

    expect { anonymous.get("0193a1b2-0000-7000-8000-000000000001") }
      .to raise_error(Tasker::ApiError) { |e| expect([e.status, e.kind]).to eq([401, "unauthorized"]) }
    expect { reader.create(namespace: "order_fulfillment", name: "process_order", context: an_order) }
      .to raise_error(Tasker::ApiError) { |e| expect([e.status, e.kind]).to eq([403, "forbidden"]) }
  end

  it "cancels a task no worker can finish, after a wait that runs out, and refuses to cancel it twice" do
    # The polyglot order has Java steps; only a Ruby worker runs here.
    created = client.create(namespace: "polyglot", name: "polyglot_order", context: a_polyglot_order)

    expect { client.wait(created["task_id"], timeout: 0.5, interval: 0.1) }
      .to raise_error(Tasker::WaitTimeout) { |e| expect(e.task["state"]).to eq("pending").or eq("in_progress") }
    cancelled = client.cancel(created["task_id"])
    expect(cancelled["state"]).to eq("cancelled")
    expect { client.cancel(created["task_id"]) }
      .to raise_error(Tasker::ApiError) { |e| expect([e.status, e.kind]).to eq([409, "operation-not-applicable"]) }
  end

  it "retries a declined payment (declined again) and then resolves it by hand, so the order ships" do
    created = client.create(namespace: "order_fulfillment", name: "process_order", context: an_order(token: "tok_decline_x"))
    failed = client.wait(created["task_id"], timeout: 30, interval: 0.1)
    expect(failed["state"]).to eq("error"), @live.worker_log
    payment = step(failed, "process_payment")
    expect(payment["last_error"]).to include("error_type" => "card_declined")

    expect(client.retry_step(payment["step_id"])["state"]).to eq("pending").or eq("in_progress").or eq("error")
    expect(client.wait(created["task_id"], timeout: 30, interval: 0.1)["state"]).to eq("error")
    resolved = client.resolve_step(payment["step_id"], "transaction_id" => "txn_by_hand")

    expect(resolved["state"]).to eq("resolved_manually")
    shipped = client.wait(created["task_id"], timeout: 30, interval: 0.1)
    expect(shipped["state"]).to eq("complete")
    expect(step(shipped, "ship_order")["output"]).to include("paid_by" => "txn_by_hand")
  end
end
