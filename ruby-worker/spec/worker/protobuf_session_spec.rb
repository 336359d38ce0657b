# frozen_string_literal: true

RSpec.describe "a worker in a protobuf session" do
  let(:orchestrator) { FakeOrchestrator.new }

  after do
    stop_workers
    orchestrator.close
  end

  it "sends HELLO in JSON, then uses protobuf for every body but ERROR once WELCOME names it" do
    worker = a_worker(orchestrator)
    hello = orchestrator.register(encoding: "protobuf", heartbeat_interval_ms: 150)
    expect(hello.body["encodings"]).to eq(%w[json protobuf])
    batch = a_batch(a_step(task_context: { "price" => 19.99, "big" => 2**60 }), a_step(handler: "spec.raise"))

    orchestrator.send_message("STEP_BATCH", batch) # encoded in protobuf by the fake orchestrator
    partials = Array.new(2) { orchestrator.expect("PARTIAL_RESULT") }
    completion = orchestrator.expect("BATCH_COMPLETION")
    heartbeat = orchestrator.expect("HEARTBEAT", skip: [])

    expect(partials.first.frames[3]).not_to start_with("{")
    expect(partials.map { |p| p.body["sequence"] }).to eq([1, 2])
    echo, raised = batch["steps"].map { |step| partials.find { |p| p.body["step_id"] == step["step_id"] }.body }
    expect(echo).to include("worker_id" => worker.worker_id, "status" => "completed",
                            "output" => { "echo" => { "price" => 19.99, "big" => 2**60 }, "attempt" => 1 })
    expect(raised["error"]).to include("error_type" => "ArgumentError", "retryable" => true)
    expect(completion.body).to include("total_steps" => 2, "completed_steps" => 1, "failed_steps" => 1)
    expect(heartbeat.body["sent_at"]).to match(/Z\z/)

    orchestrator.send_frames([orchestrator.identity, "tasker/1", "STEP_BATCH", JSON.generate(a_batch(a_step))])
    error = orchestrator.expect("ERROR")
    expect(error.frames[3]).to start_with("{") # ERROR is always JSON
    expect(error.body).to include("code" => "malformed_body", "message_type" => "STEP_BATCH")
  end

  it "refuses a WELCOME naming an encoding it did not offer, and keeps registering" do
    a_worker(orchestrator, encodings: ["json"])
    orchestrator.expect("HELLO")

    orchestrator.welcome(encoding: "protobuf")
    orchestrator.encoding = "json"

    expect(orchestrator.expect("ERROR").body["message"]).to eq("WELCOME at encoding: 'protobuf' was not offered (offered: json)")
    orchestrator.register(encoding: "json")
    orchestrator.send_message("STEP_BATCH", a_batch(a_step))
    expect(orchestrator.expect("PARTIAL_RESULT").frames[3]).to start_with("{")
  end
end
