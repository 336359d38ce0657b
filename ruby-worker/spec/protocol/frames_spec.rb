# frozen_string_literal: true

RSpec.describe Tasker::Protocol::Frames do
  def refusal(frames)
    described_class.parse(frames)
    raise "expected a refusal"
  rescue Tasker::Protocol::RefusedMessage => e
    e
  end

  it "frames a message as version, type and body" do
    expect(described_class.encode("GOODBYE", '{"reason":"draining"}'))
      .to eq(["tasker/1", "GOODBYE", '{"reason":"draining"}'])
  end

  it "parses three frames into type and body" do
    expect(described_class.parse(["tasker/1", "ACK", "{}"])).to eq(["ACK", "{}"])
  end

  it "refuses another frame count with malformed_frames" do
    expect(refusal(["tasker/1", "ACK"]).code).to eq("malformed_frames")
    expect(refusal(["tasker/1", "ACK", "{}", "extra"]).message).to include("got 4")
  end

  it "refuses a version it does not speak with unsupported_version listing its versions" do
    error = refusal(["tasker/2", "ACK", "{}"])

    expect(error.to_error_body).to eq("code" => "unsupported_version",
                                      "message" => "unsupported protocol version frame 'tasker/2'; supported: tasker/1",
                                      "supported_versions" => ["1"])
    expect(refusal(["amqp/1", "ACK", "{}"]).code).to eq("unsupported_version")
  end

  it "refuses header frames that are empty, too long or not printable ASCII" do
    expect(refusal(["", "ACK", "{}"]).code).to eq("malformed_frames")
    expect(refusal(["tasker/1", "A" * 65, "{}"]).message).to include("1 to 64 bytes")
    expect(refusal(["tasker/1", "AC K", "{}"]).message).to include("printable ASCII")
  end

  it "refuses an unknown type with unknown_message_type" do
    expect(refusal(["tasker/1", "FROBNICATE", "{}"]).to_error_body)
      .to include("code" => "unknown_message_type", "message_type" => "FROBNICATE")
  end

  it "refuses a body over the limit with message_too_large" do
    error = begin
      described_class.parse(["tasker/1", "ACK", "x" * 11], max_body_bytes: 10)
    rescue Tasker::Protocol::RefusedMessage => e
      e
    end

    expect(error.code).to eq("message_too_large")
    expect(Tasker::Protocol::MAX_BODY_BYTES).to eq(16 * 1024 * 1024)
  end
end
