# frozen_string_literal: true

RSpec.describe "a worker receiving bad messages" do
  let(:orchestrator) { FakeOrchestrator.new }
  let(:id) { orchestrator.identity }

  before do
    a_worker(orchestrator)
    orchestrator.register
  end

  after do
    stop_workers
    orchestrator.close
  end

  def answer_to(frames)
    orchestrator.send_frames([id, *frames])
    orchestrator.expect("ERROR").body
  end

  it "answers a wrong frame count with malformed_frames" do
    expect(answer_to(%w[tasker/1 ACK])).to include("code" => "malformed_frames",
                                                   "message" => "expected 3 frames (version, type, body) but got 2")
  end

  it "answers a version frame other than tasker/1 with unsupported_version and the versions it speaks" do
    expect(answer_to(["tasker/9", "ACK", "{}"]))
      .to eq("code" => "unsupported_version", "supported_versions" => ["1"],
             "message" => "unsupported protocol version frame 'tasker/9'; supported: tasker/1")
  end

  it "answers an unknown type with unknown_message_type" do
    expect(answer_to(["tasker/1", "FROBNICATE", "{}"]))
      .to include("code" => "unknown_message_type", "message_type" => "FROBNICATE")
  end

  it "answers an undecodable or invalid body with malformed_body naming the field" do
    expect(answer_to(["tasker/1", "STEP_BATCH", "{not json"])).to include("code" => "malformed_body", "message_type" => "STEP_BATCH")

    batch = a_batch(a_step(metadata: { "attempt" => 0, "max_attempts" => 3, "timeout_ms" => 1000 }))
    expect(answer_to(["tasker/1", "STEP_BATCH", JSON.generate(batch)])["message"])
      .to eq("STEP_BATCH at steps[0].metadata.attempt: must be >= 1, got 0")

    batch = a_batch(a_step(task_id: "not-a-uuid"))
    expect(answer_to(["tasker/1", "STEP_BATCH", JSON.generate(batch)])["message"])
      .to eq("STEP_BATCH at steps[0].task_id: must be a UUID string, got \"not-a-uuid\"")
  end

  it "answers a message that never goes to a worker with unexpected_message" do
    expect(answer_to(["tasker/1", "PARTIAL_RESULT", "{}"]))
      .to include("code" => "unexpected_message", "message" => "PARTIAL_RESULT is never sent to a worker")
  end

  it "answers an oversized body with message_too_large" do
    expect(answer_to(["tasker/1", "ACK", " " * (Tasker::Protocol::MAX_BODY_BYTES + 1)]))
      .to include("code" => "message_too_large", "message_type" => "ACK")
  end

  it "never answers an ERROR with an ERROR" do
    orchestrator.send_frames([id, "tasker/1", "ERROR", "{broken"])
    orchestrator.send_frames([id, "tasker/7", "ERROR", "{}"])
    orchestrator.send_frames([id, "tasker/1", "ERROR", JSON.generate("code" => "internal", "message" => "oops")])

    orchestrator.expect_silence(0.3)
  end

  it "survives them all and still runs batches" do
    [%w[tasker/1], ["tasker/1", "STEP_BATCH", "\xff\xfe".b], ["tasker/1", "ACK", "[]"],
     ["tasker/1", "WELCOME", "{}"], ["tasker/1", "STEP_BATCH", JSON.generate(a_batch)]].each do |frames|
      orchestrator.send_frames([id, *frames])
    end
    5.times { orchestrator.expect("ERROR") }

    orchestrator.send_message("STEP_BATCH", a_batch(a_step))
    expect(orchestrator.expect("PARTIAL_RESULT").body["status"]).to eq("completed")
    expect(a_log.string.scan("refused a message from the orchestrator").size).to eq(5)
  end
end
