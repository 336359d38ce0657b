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
    protobuf # loads the generated classes (Tasker::V1) when this example runs first
    bad_json = Tasker::V1::StepBatch.encode(Tasker::V1::StepBatch.new(
      batch_id: "0192f3a4-7000-7abc-8def-0123456789ab",
      steps: [Tasker::V1::StepExecutionRequest.new(task_context_json: "{oops")]
    ))
    unknown_status = Tasker::V1::PartialResult.encode(Tasker::V1::PartialResult.new(status: 0))

    expect(refusal { protobuf.decode("WELCOME", "\xff\xff\xff".b) }).to start_with("WELCOME: not a valid protobuf Welcome")
    expect(refusal { protobuf.decode("STEP_BATCH", bad_json) }).to start_with("STEP_BATCH at steps[0].task_context_json: not valid JSON")
    expect(refusal { protobuf.decode("PARTIAL_RESULT", unknown_status) })
      .to include("status: must be completed, failed, in_progress or checkpoint")
  end

  it "carries a checkpoint yield through protobuf: status checkpoint and checkpoint_json in results and summaries" do
    checkpoint = { "cursor" => { "row" => 150 }, "items_processed" => 150, "accumulated_results" => { "sum" => 2**40 } }
    partial = GoldenVectors.message("PARTIAL_RESULT").tap { |p| p.delete("output") }
                           .merge("status" => "checkpoint", "checkpoint" => checkpoint)
    completion = GoldenVectors.message("BATCH_COMPLETION")
    completion["step_summaries"][0] = completion["step_summaries"][0].reject { |key, _| key == "output" }
                                                                     .merge("status" => "checkpoint", "checkpoint" => checkpoint)
    partial_bytes = protobuf.encode("PARTIAL_RESULT", partial)
    completion_bytes = protobuf.encode("BATCH_COMPLETION", completion)

    expect(protobuf.decode("PARTIAL_RESULT", partial_bytes)).to eq(partial)
    expect(protobuf.decode("BATCH_COMPLETION", completion_bytes)).to eq(completion)
    raw = Tasker::V1::PartialResult.decode(partial_bytes)
    expect(raw.status).to eq(:STEP_STATUS_CHECKPOINT)
    expect(Tasker::V1::StepStatus.resolve(:STEP_STATUS_CHECKPOINT)).to eq(4)
    expect(JSON.parse(raw.checkpoint_json)).to eq(checkpoint)
    expect(JSON.parse(Tasker::V1::BatchCompletion.decode(completion_bytes).step_summaries[0].checkpoint_json)).to eq(checkpoint)
    expect(protobuf.decode("PARTIAL_RESULT", protobuf.encode("PARTIAL_RESULT", GoldenVectors.message("PARTIAL_RESULT"))))
      .not_to have_key("checkpoint")
  end

  it "carries a step's inputs and checkpoint through protobuf's inputs_json and checkpoint_json, absent when absent" do
    batch = GoldenVectors.message("STEP_BATCH")
    batch["steps"][0]["inputs"] = { "cursor" => { "batch_id" => "001", "start_cursor" => 0, "end_cursor" => 200,
                                                  "batch_size" => 200 } }
    batch["steps"][0]["checkpoint"] = { "cursor" => 150, "items_processed" => 150 }
    bytes = protobuf.encode("STEP_BATCH", batch)

    expect(protobuf.decode("STEP_BATCH", bytes)).to eq(batch)
    raw = Tasker::V1::StepBatch.decode(bytes).steps[0]
    expect(JSON.parse(raw.inputs_json)).to eq(batch["steps"][0]["inputs"])
    expect(JSON.parse(raw.checkpoint_json)).to eq(batch["steps"][0]["checkpoint"])
    expect(protobuf.decode("STEP_BATCH", protobuf.encode("STEP_BATCH", GoldenVectors.message("STEP_BATCH")))["steps"][0])
      .not_to include("inputs", "checkpoint")
  end

  it "has generated protobuf classes whose fields and enum values are tasker.proto's" do
    proto = File.read(File.expand_path("../../../protocol/src/main/proto/tasker/v1/tasker.proto", __dir__))
    proto.scan(/^message (\w+) \{(.*?)^\}/m).each do |name, fields|
      declared = fields.scan(/^\s*(?:optional |repeated )?(?:map<[^>]+>|[\w.]+) (\w+) = (\d+);/).to_h { |f, n| [f, n.to_i] }
      generated = Tasker::V1.const_get(name).descriptor.to_h { |field| [field.name, field.number] }

      expect(generated).to eq(declared), "tasker.v1.#{name}"
    end
    enum = proto[/^enum StepStatus \{(.*?)^\}/m, 1].scan(/(\w+) = (\d+);/).to_h { |v, n| [v.to_sym, n.to_i] }
    expect(enum.keys.to_h { |value| [value, Tasker::V1::StepStatus.resolve(value)] }).to eq(enum)
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
