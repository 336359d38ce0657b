# frozen_string_literal: true

RSpec.describe Tasker::Protocol::MessageChecks do
  def golden(name)
    JSON.parse(File.read(File.expand_path("../../../protocol/golden/json/#{name}.json", __dir__)))
  end

  def refusal(type, body)
    described_class.check(type, body)
    raise "expected #{type} to be refused"
  rescue Tasker::Protocol::MalformedBody => e
    expect(e.code).to eq("malformed_body")
    expect(e.message_type).to eq(type)
    e.message
  end

  def batch_with(**step_changes)
    batch = golden("STEP_BATCH")
    step_changes.each do |key, value|
      value == :absent ? batch["steps"][0].delete(key.to_s) : batch["steps"][0][key.to_s] = value
    end
    batch
  end

  it "accepts every golden message a worker receives" do
    %w[WELCOME REJECT HEARTBEAT GOODBYE STEP_BATCH ACK ERROR].each do |type|
      expect { described_class.check(type, golden(type)) }.not_to raise_error
    end
  end

  it "accepts a WELCOME that names the live orchestrators, and one that does not" do
    expect(described_class.check("WELCOME", golden("WELCOME_orchestrators"))["orchestrators"].map { |o| o["endpoints"] })
      .to eq([["tcp://10.0.0.5:5555"], ["tcp://10.0.0.6:5555", "tcp://10.0.1.6:5555"]])
    expect(described_class.check("WELCOME", golden("WELCOME"))).not_to have_key("orchestrators")
  end

  it "refuses a WELCOME whose orchestrators are malformed, naming the field" do
    welcome = golden("WELCOME_orchestrators")
    welcome["orchestrators"][1]["endpoints"] = ["tcp://10.0.0.6:5555", 7]
    expect(refusal("WELCOME", welcome)).to include("orchestrators[1].endpoints[1]")

    welcome["orchestrators"] = [{ "endpoints" => [] }]
    expect(refusal("WELCOME", welcome)).to include("orchestrators[0].orchestrator_id")

    welcome["orchestrators"] = "tcp://10.0.0.6:5555"
    expect(refusal("WELCOME", welcome)).to include("orchestrators")
  end

  it "fills in the defaults of a step: handler_config and previous_results are {} when absent" do
    step = described_class.check("STEP_BATCH", batch_with(handler_config: :absent, previous_results: :absent))["steps"][0]

    expect(step).to include("handler_config" => {}, "previous_results" => {})
  end

  it "fills in a step's inputs as {} when absent or null, and drops a null checkpoint" do
    step = described_class.check("STEP_BATCH", batch_with(inputs: nil, checkpoint: nil))["steps"][0]

    expect(step).to include("inputs" => {})
    expect(step).not_to have_key("checkpoint")
  end

  it "accepts a batch worker's inputs and checkpoint as they are" do
    inputs = { "cursor" => { "batch_id" => "001", "start_cursor" => 0, "end_cursor" => 200, "batch_size" => 200 } }
    checkpoint = { "cursor" => "row-150", "items_processed" => 150, "accumulated_results" => [1], "later" => true }

    step = described_class.check("STEP_BATCH", batch_with(inputs: inputs, checkpoint: checkpoint))["steps"][0]

    expect(step).to include("inputs" => inputs, "checkpoint" => checkpoint)
  end

  it "refuses a step whose inputs are not an object or whose checkpoint is malformed, naming the field" do
    expect(refusal("STEP_BATCH", batch_with(inputs: [1]))).to eq("STEP_BATCH at steps[0].inputs: must be a JSON object")
    expect(refusal("STEP_BATCH", batch_with(checkpoint: 5))).to eq("STEP_BATCH at steps[0].checkpoint: must be a JSON object")
    expect(refusal("STEP_BATCH", batch_with(checkpoint: { "items_processed" => 1 })))
      .to eq("STEP_BATCH at steps[0].checkpoint.cursor: is required")
    expect(refusal("STEP_BATCH", batch_with(checkpoint: { "cursor" => 1, "items_processed" => -1 })))
      .to eq("STEP_BATCH at steps[0].checkpoint.items_processed: must be a whole number >= 0, got -1")
    expect(refusal("STEP_BATCH", batch_with(checkpoint: { "cursor" => 1, "items_processed" => 1.5 })))
      .to include("checkpoint.items_processed: must be a whole number >= 0")
  end

  it "ignores unknown fields" do
    expect { described_class.check("GOODBYE", { "reason" => "x", "future" => [1] }) }.not_to raise_error
  end

  it "refuses a step batch with a missing, null or mistyped field, naming the field" do
    expect(refusal("STEP_BATCH", batch_with(step_id: "12345"))).to eq("STEP_BATCH at steps[0].step_id: must be a UUID string, got \"12345\"")
    expect(refusal("STEP_BATCH", batch_with(task_id: :absent))).to eq("STEP_BATCH at steps[0].task_id: is required")
    expect(refusal("STEP_BATCH", batch_with(task_context: nil))).to eq("STEP_BATCH at steps[0].task_context: is required")
    expect(refusal("STEP_BATCH", batch_with(task_context: [1]))).to include("steps[0].task_context: must be a JSON object")
    expect(refusal("STEP_BATCH", batch_with(handler_config: "x"))).to include("steps[0].handler_config")
    expect(refusal("STEP_BATCH", batch_with(previous_results: []))).to include("steps[0].previous_results")
    expect(refusal("STEP_BATCH", batch_with(step_name: " "))).to include("steps[0].step_name: must not be blank")
    expect(refusal("STEP_BATCH", batch_with(handler: 5))).to include("steps[0].handler: must be a string")
    expect(refusal("STEP_BATCH", batch_with(metadata: :absent))).to include("steps[0].metadata: is required")
  end

  it "refuses metadata that is not an integer >= 1 in range" do
    meta = ->(changes) { batch_with(metadata: { "attempt" => 1, "max_attempts" => 3, "timeout_ms" => 30_000 }.merge(changes)) }

    expect(refusal("STEP_BATCH", meta.call("attempt" => 0))).to eq("STEP_BATCH at steps[0].metadata.attempt: must be >= 1, got 0")
    expect(refusal("STEP_BATCH", meta.call("attempt" => 1.0))).to include("metadata.attempt: must be an integer")
    expect(refusal("STEP_BATCH", meta.call("max_attempts" => "3"))).to include("metadata.max_attempts: must be an integer")
    expect(refusal("STEP_BATCH", meta.call("attempt" => 2**31))).to include("must fit in 32 bits")
    expect(refusal("STEP_BATCH", meta.call("timeout_ms" => 2**63))).to include("metadata.timeout_ms: must fit in 64 bits")
    expect(refusal("STEP_BATCH", meta.call("timeout_ms" => nil))).to include("metadata.timeout_ms: is required")
  end

  it "refuses a batch without steps, with a repeated step or with a bad batch id" do
    empty = golden("STEP_BATCH").merge("steps" => [])
    repeated = golden("STEP_BATCH").then { |b| b.merge("steps" => b["steps"] * 2) }

    expect(refusal("STEP_BATCH", empty)).to include("steps: must hold at least one step")
    expect(refusal("STEP_BATCH", repeated)).to include("steps[1].step_id: 0192f3a4-6000-7111-8222-333344445555 appears more than once")
    expect(refusal("STEP_BATCH", golden("STEP_BATCH").merge("batch_id" => 42))).to include("batch_id: must be a UUID string")
    expect(refusal("STEP_BATCH", golden("STEP_BATCH").merge("steps" => "x"))).to include("steps: must be an array")
  end

  it "refuses a welcome without a positive heartbeat interval" do
    expect(refusal("WELCOME", golden("WELCOME").merge("heartbeat_interval_ms" => 0))).to include("heartbeat_interval_ms: must be >= 1")
    expect(refusal("WELCOME", golden("WELCOME").tap { |w| w.delete("encoding") })).to include("WELCOME at encoding: is required")
  end

  it "refuses acks and heartbeats with malformed ids or timestamps" do
    bad_ack = golden("ACK").merge("batch_completions" => ["nope"])
    bad_ref = golden("ACK").merge("partial_results" => [{ "batch_id" => "0192f3a4-7000-7abc-8def-0123456789ab" }])

    expect(refusal("ACK", bad_ack)).to include("batch_completions[0]: must be a UUID string")
    expect(refusal("ACK", bad_ref)).to include("partial_results[0].step_id: is required")
    expect(refusal("HEARTBEAT", { "sent_at" => "2026-13-01T00:00:00Z" })).to include("sent_at: must be an RFC 3339 timestamp")
    expect(refusal("HEARTBEAT", { "sent_at" => 1_700_000_000 })).to include("sent_at: must be a string")
  end

  it "accepts timestamps with any RFC 3339 offset" do
    expect { described_class.check("HEARTBEAT", { "sent_at" => "2026-11-27T12:15:30.5+02:00" }) }.not_to raise_error
    expect(Tasker::Protocol::Timestamps.format(Tasker::Protocol::Timestamps.parse("2026-11-27T12:15:30.123456+02:00")))
      .to eq("2026-11-27T10:15:30.123Z")
  end
end
