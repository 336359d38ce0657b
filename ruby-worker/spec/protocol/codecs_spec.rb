# frozen_string_literal: true

require_relative "../../script/golden_vectors"

RSpec.describe "the JSON and protobuf codecs" do
  let(:json) { Tasker::Protocol::JsonCodec.instance }
  let(:protobuf) { Tasker::Protocol::ProtobufCodec.instance }

  def refusal
    yield
    raise "expected a refusal"
  rescue Tasker::Protocol::MalformedBody => e
    e.message
  end

  GoldenVectors.names.each do |name|
    it "decodes golden #{name} and encodes it back to equal JSON" do
      type = GoldenVectors.type_of(name)
      original = File.binread(File.join(GoldenVectors::GOLDEN, "json", "#{name}.json"))
      decoded = json.decode(type, original)

      expect(JSON.parse(json.encode(type, decoded))).to eq(JSON.parse(original))
      expect(decoded.keys).to eq(JSON.parse(original).keys)
    end

    it "round-trips golden #{name} through protobuf to the same message" do
      type = GoldenVectors.type_of(name)
      message = GoldenVectors.message(name)
      bytes = protobuf.encode(type, message)

      expect(bytes.encoding).to eq(Encoding::BINARY)
      expect(protobuf.decode(type, bytes)).to eq(message)
      expect(protobuf.encode(type, protobuf.decode(type, bytes))).to eq(bytes)
    end
  end

  it "decodes and encodes JSON bodies as binary UTF-8 text" do
    expect(json.encode("GOODBYE", { "reason" => "drainé" })).to eq("{\"reason\":\"drainé\"}".b)
    expect(json.decode("GOODBYE", "{\"reason\":\"draining\",\"later\":1}")).to eq("reason" => "draining", "later" => 1)
  end

  it "refuses JSON bodies that are not one UTF-8 JSON object" do
    expect(refusal { json.decode("ACK", "{") }).to start_with("ACK: not valid JSON")
    expect(refusal { json.decode("ACK", "[1]") }).to eq("ACK: the body must be a JSON object")
    expect(refusal { json.decode("ACK", "null") }).to eq("ACK: the body must be a JSON object")
    expect(refusal { json.decode("ACK", "{\"a\":\"\xff\"}".b) }).to eq("ACK: not valid UTF-8")
    expect(refusal { json.decode("ACK", "{\"a\":NaN}") }).to start_with("ACK: not valid JSON")
    expect(refusal { json.decode("ACK", "#{'[' * 300}#{']' * 300}") }).to include("nesting")
  end

  it "keeps numbers and keys of free-form JSON exactly through protobuf's *_json fields" do
    batch = GoldenVectors.message("STEP_BATCH")
    batch["steps"][0]["task_context"] = { "big" => 2**62 + 1, "price" => 19.99, "nested" => { "é" => [nil, true] } }

    expect(protobuf.decode("STEP_BATCH", protobuf.encode("STEP_BATCH", batch))["steps"][0]["task_context"])
      .to eq("big" => 2**62 + 1, "price" => 19.99, "nested" => { "é" => [nil, true] })
  end

  it "maps absent optional fields to absent keys, and the protocol's defaults" do
    hello = GoldenVectors.message("HELLO").tap { |h| h.delete("encodings") && h.delete("held_batches") }
    error = { "code" => "malformed_body", "message" => "x", "supported_versions" => [] }
    partial = GoldenVectors.message("PARTIAL_RESULT").tap { |p| p.delete("output") }
    step = GoldenVectors.message("STEP_BATCH").tap { |b| b["steps"][0].delete("handler_config") }

    expect(protobuf.decode("HELLO", protobuf.encode("HELLO", hello))).not_to include("encodings", "held_batches")
    expect(protobuf.decode("HELLO", protobuf.encode("HELLO", hello.merge("held_batches" => [])))).to include("held_batches" => [])
    expect(protobuf.decode("ERROR", protobuf.encode("ERROR", error))).to eq("code" => "malformed_body", "message" => "x")
    expect(protobuf.decode("PARTIAL_RESULT", protobuf.encode("PARTIAL_RESULT", partial))).not_to include("output")
    expect(protobuf.decode("PARTIAL_RESULT", protobuf.encode("PARTIAL_RESULT", partial.merge("output" => nil))))
      .to include("output" => nil)
    expect(protobuf.decode("STEP_BATCH", protobuf.encode("STEP_BATCH", step))["steps"][0]["handler_config"]).to eq({})
  end

  it "writes timestamps as RFC 3339 UTC with milliseconds, whatever offset they were given in" do
    bytes = protobuf.encode("HEARTBEAT", { "sent_at" => "2026-11-27T12:15:30.123+02:00" })

    expect(protobuf.decode("HEARTBEAT", bytes)).to eq("sent_at" => "2026-11-27T10:15:30.123Z")
  end

  it "encodes map entries sorted by key, so equal messages give equal bytes" do
    batch = GoldenVectors.message("STEP_BATCH")
    reversed = Marshal.load(Marshal.dump(batch))
    reversed["steps"][0]["previous_results"] = reversed["steps"][0]["previous_results"].to_a.reverse.to_h

    expect(protobuf.encode("STEP_BATCH", reversed)).to eq(protobuf.encode("STEP_BATCH", batch))
  end

  it "refuses protobuf bodies that are not the message, or whose *_json fields are not JSON" do
    bad_json = Tasker::V1::StepBatch.encode(Tasker::V1::StepBatch.new(
      batch_id: "0192f3a4-7000-7abc-8def-0123456789ab",
      steps: [Tasker::V1::StepExecutionRequest.new(task_context_json: "{oops")]
    ))
    unknown_status = Tasker::V1::PartialResult.encode(Tasker::V1::PartialResult.new(status: 0))

    expect(refusal { protobuf.decode("WELCOME", "\xff\xff\xff".b) }).to start_with("WELCOME: not a valid protobuf Welcome")
    expect(refusal { protobuf.decode("STEP_BATCH", bad_json) }).to start_with("STEP_BATCH at steps[0].task_context_json: not valid JSON")
    expect(refusal { protobuf.decode("PARTIAL_RESULT", unknown_status) }).to include("status: must be completed, failed or in_progress")
  end

  it "lets a missing required protobuf field surface as the message check's error" do
    body = protobuf.decode("STEP_BATCH", Tasker::V1::StepBatch.encode(Tasker::V1::StepBatch.new(batch_id: "x")))

    expect(refusal { Tasker::Protocol::MessageChecks.check("STEP_BATCH", body) }).to include("batch_id: must be a UUID string")
  end

  it "names the encodings this process offers" do
    expect(Tasker::Protocol.available_encodings).to eq(%w[json protobuf])
    expect { Tasker::Protocol.codec("xml") }.to raise_error(Tasker::ConfigurationError, /unknown encoding 'xml'/)
  end
end
