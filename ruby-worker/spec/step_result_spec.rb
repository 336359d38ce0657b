# frozen_string_literal: true

RSpec.describe Tasker::StepResult do
  it "builds a success with any JSON output, an empty object by default" do
    expect(described_class.success("total" => 59.97).output).to eq("total" => 59.97)
    expect(described_class.success.output).to eq({})
    expect(described_class.success).to be_success
  end

  it "builds a retryable failure with an optional retry-after in milliseconds" do
    failure = described_class.retryable_failure("gateway busy", error_type: "gateway_busy", retry_after_ms: 200)

    expect(failure).to have_attributes(message: "gateway busy", error_type: "gateway_busy", retry_after_ms: 200)
    expect(failure).to be_retryable
    expect(described_class.retryable_failure("oops").error_type).to eq("handler_error")
  end

  it "builds a permanent failure that is not retryable" do
    failure = described_class.permanent_failure("card declined", error_type: "card_declined")

    expect(failure).to have_attributes(message: "card declined", error_type: "card_declined")
    expect(failure).not_to be_retryable
    expect(failure).not_to be_success
  end

  it "names the argument that is invalid" do
    expect { described_class.retryable_failure("x", retry_after_ms: -1) }.to raise_error(ArgumentError, /retry_after_ms/)
    expect { described_class.retryable_failure("x", retry_after_ms: 1.5) }.to raise_error(ArgumentError, /retry_after_ms/)
    expect { described_class.permanent_failure("x", error_type: " ") }.to raise_error(ArgumentError, /error_type/)
    expect { described_class.permanent_failure(nil) }.to raise_error(ArgumentError, /message/)
  end

  it "treats a plain value as the output of a success" do
    expect(described_class.from([1, 2])).to eq(described_class.success([1, 2]))
    failure = described_class.permanent_failure("no")
    expect(described_class.from(failure)).to be(failure)
  end

  it "is immutable" do
    expect(described_class.success({}).frozen?).to be(true)
    expect(described_class.retryable_failure("x").frozen?).to be(true)
  end
end
