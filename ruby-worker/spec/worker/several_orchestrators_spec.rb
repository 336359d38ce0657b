# frozen_string_literal: true

RSpec.describe "a worker serving several orchestrators" do
  let(:first) { FakeOrchestrator.new }
  let(:second) { FakeOrchestrator.new }

  after do
    stop_workers
    first.close
    second.close
  end

  # A WELCOME with a long heartbeat interval (these orchestrators do not beat) naming +live+ orchestrators.
  def welcome(orchestrator, id, live = nil)
    body = { "worker_id" => orchestrator.identity_text, "orchestrator_id" => id, "protocol_version" => "1",
             "encoding" => "json", "heartbeat_interval_ms" => 10_000 }
    body["orchestrators"] = live if live
    orchestrator.send_message("WELCOME", body)
  end

  it "opens a session with an orchestrator a WELCOME names, and splits its credit with CREDIT" do
    worker = a_worker(first, concurrency: 8)
    expect(first.expect("HELLO").body["concurrency"]).to eq(8)

    welcome(first, "first", [{ "orchestrator_id" => "first", "endpoints" => [first.endpoint] },
                             { "orchestrator_id" => "second", "endpoints" => [second.endpoint] }])
    discovered = second.expect("HELLO")
    welcome(second, "second")

    expect(discovered.body).to include("worker_id" => worker.worker_id, "concurrency" => 4)
    expect(first.expect("CREDIT").body).to eq("credit" => 4)
    wait_until(message: "two sessions") { worker.registered_orchestrators == 2 }
  end

  it "serves only the given endpoints when discovery is off" do
    worker = a_worker(first, discover: false)
    first.expect("HELLO")
    welcome(first, "first", [{ "orchestrator_id" => "second", "endpoints" => [second.endpoint] }])
    expect(worker.wait_until_registered(2)).to be(true)

    # Discovery would say HELLO to the second at once; a second of silence is far longer.
    expect(second.collect(1)).to eq([])
  end

  it "sends a batch's results to the other orchestrator when its own shuts down, after a HELLO listing it" do
    gate = Queue.new
    registry = a_registry
    registry.register("spec.gate") { |_context| gate.pop }
    a_worker(first, registry: registry, endpoints: [first.endpoint, second.endpoint], concurrency: 2)
    first.expect("HELLO")
    welcome(first, "first")
    second.expect("HELLO")
    welcome(second, "second")
    batch = a_batch(a_step(handler: "spec.gate"))
    first.send_message("STEP_BATCH", batch)
    wait_until(message: "the step to start") { gate.num_waiting == 1 }

    first.send_message("GOODBYE", { "reason" => "shutdown" })
    again = second.expect("HELLO", skip: %w[HEARTBEAT CREDIT])
    gate << { "done" => true }
    result = second.expect("PARTIAL_RESULT", skip: %w[HEARTBEAT CREDIT HELLO])

    expect(again.body["held_batches"]).to eq([batch["batch_id"]])
    expect(result.body).to include("batch_id" => batch["batch_id"], "step_id" => batch["steps"][0]["step_id"])
    expect(second.expect("BATCH_COMPLETION", skip: %w[HEARTBEAT CREDIT HELLO]).body["batch_id"]).to eq(batch["batch_id"])
  end

  it "tells the other orchestrator every batch it holds when a session it held nothing of is lost" do
    gate = Queue.new
    registry = a_registry
    registry.register("spec.gate") { |_context| gate.pop }
    a_worker(first, registry: registry, endpoints: [first.endpoint, second.endpoint], concurrency: 2)
    first.expect("HELLO")
    welcome(first, "first")
    second.expect("HELLO")
    welcome(second, "second")
    batch = a_batch(a_step(handler: "spec.gate"))
    second.send_message("STEP_BATCH", batch)
    wait_until(message: "the step to start") { gate.num_waiting == 1 }

    # Nothing of the first's to move: a batch it sent and that never arrived is known only by its
    # absence from this list, which lets a survivor run it again.
    first.send_message("GOODBYE", { "reason" => "shutdown" })
    again = second.expect("HELLO", skip: %w[HEARTBEAT CREDIT])
    gate << { "done" => true }

    expect(again.body["held_batches"]).to eq([batch["batch_id"]])
  end
end
