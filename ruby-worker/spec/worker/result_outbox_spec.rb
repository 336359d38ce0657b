# frozen_string_literal: true

RSpec.describe Tasker::Worker::Internal::ResultOutbox do
  subject(:outbox) { described_class.new("worker-1", -> { Time.utc(2026, 11, 27, 10, 15, 32, 10_000) }, Logger.new(nil)) }

  let(:batch_id) { "0192f3a4-7000-7abc-8def-0123456789ab" }

  def outcome(step_id, status: "completed", batch: batch_id)
    Tasker::Worker::Internal::StepOutcome.new(batch_id: batch, step_id: step_id, attempt: 1, status: status,
                                              output: { "ok" => true }, output_present: status == "completed",
                                              error: status == "failed" ? { "message" => "x" } : nil,
                                              execution_time_ms: 5, finished_at: "2026-11-27T10:15:31.500Z")
  end

  def sent
    messages = []
    outbox.flush { |entry| messages << [entry.type, entry.step_id, entry.body["sequence"]] }
    messages
  end

  it "numbers partial results per batch and follows the last with the batch's completion" do
    outbox.open(batch_id, 2)
    outbox.report(outcome("s2"))
    outbox.report(outcome("s1", status: "failed"))

    messages = []
    outbox.flush { |entry| messages << entry.body }
    expect(messages.map { |m| m["sequence"] }).to eq([1, 2, nil])
    expect(messages.last).to include("total_steps" => 2, "completed_steps" => 1, "failed_steps" => 1,
                                     "in_progress_steps" => 0, "completed_at" => "2026-11-27T10:15:32.010Z")
    expect(messages.last["step_summaries"].map { |s| s["step_id"] }).to eq(%w[s2 s1])
  end

  it "keeps results the socket could not take, in order" do
    outbox.open(batch_id, 2)
    outbox.report(outcome("s1"))
    outbox.report(outcome("s2"))

    expect(outbox.flush { false }).to be(false)
    expect(outbox.pending).to eq(3)
    expect(sent.map(&:first)).to eq(%w[PARTIAL_RESULT PARTIAL_RESULT BATCH_COMPLETION])
  end

  it "resends unacknowledged results, in their original order, before newer ones" do
    outbox.open(batch_id, 2)
    outbox.report(outcome("s1"))
    sent
    outbox.report(outcome("s2"))
    outbox.resend_unacknowledged

    expect(sent.map { |type, step, _| [type, step] })
      .to eq([["PARTIAL_RESULT", "s1"], ["PARTIAL_RESULT", "s2"], ["BATCH_COMPLETION", nil]])
  end

  it "forgets acknowledged partials, and every result of a batch whose completion is acknowledged" do
    other = "0192f3a4-7000-7abc-8def-0123456789ff"
    outbox.open(batch_id, 2)
    outbox.open(other, 1)
    outbox.report(outcome("s1"))
    outbox.report(outcome("s2"))
    outbox.report(outcome("o1", batch: other))
    sent

    outbox.acknowledged({ "partial_results" => [{ "batch_id" => other, "step_id" => "o1" }], "batch_completions" => [] })
    expect(outbox.unacknowledged).to eq(4)
    outbox.acknowledged({ "partial_results" => [], "batch_completions" => [batch_id] })
    expect(outbox.unacknowledged).to eq(1)
    expect(outbox.held_batches).to eq([other])
  end

  it "holds a batch while it runs, while results wait and until they are acknowledged" do
    outbox.open(batch_id, 1)
    expect(outbox.held_batches).to eq([batch_id])
    outbox.report(outcome("s1"))
    expect(outbox.held_batches).to eq([batch_id])
    sent
    expect(outbox.held_batches).to eq([batch_id])
    outbox.acknowledged({ "partial_results" => [], "batch_completions" => [batch_id] })
    expect(outbox.held_batches).to eq([])
  end

  it "refuses to open a batch that is running or whose completion is not yet acknowledged" do
    expect(outbox.open(batch_id, 1)).to be(true)
    expect(outbox.open(batch_id, 1)).to be(false)
    outbox.report(outcome("s1"))
    expect(outbox.open(batch_id, 1)).to be(false)
    sent
    outbox.acknowledged({ "partial_results" => [], "batch_completions" => [batch_id] })
    expect(outbox.open(batch_id, 1)).to be(true)
  end

  describe "with several routes (one per orchestrator)" do
    def sent_on(route)
      messages = []
      outbox.flush(route) { |entry| messages << [entry.type, entry.step_id, entry.body["sequence"]] }
      messages
    end

    it "sends each batch's results on the route it came on" do
      outbox.open("b1", 1, 1)
      outbox.open("b2", 1, 2)
      outbox.report(outcome("s2", batch: "b2"))
      outbox.report(outcome("s1", batch: "b1"))

      expect(sent_on(1).map { |type, step, _| [type, step] }).to eq([["PARTIAL_RESULT", "s1"], ["BATCH_COMPLETION", nil]])
      expect(sent_on(2).map { |type, step, _| [type, step] }).to eq([["PARTIAL_RESULT", "s2"], ["BATCH_COMPLETION", nil]])
    end

    it "moves a lost route's unacknowledged, unsent and later results to another, in order" do
      outbox.open(batch_id, 3, 1)
      outbox.report(outcome("s1"))
      sent_on(1)
      outbox.report(outcome("s2"))

      expect(outbox.move(1, 2)).to be(true)
      outbox.report(outcome("s3"))

      expect(sent_on(1)).to eq([])
      expect(sent_on(2)).to eq([["PARTIAL_RESULT", "s1", 1], ["PARTIAL_RESULT", "s2", 2], ["PARTIAL_RESULT", "s3", 3],
                                ["BATCH_COMPLETION", nil, nil]])
      expect(outbox.holds?(1)).to be(false)
      expect(outbox.move(1, 2)).to be(false)
    end

    it "clears what an ACK lists whichever route it came on, and lists held batches of every route" do
      outbox.open("b1", 1, 1)
      outbox.open("b2", 2, 2)
      outbox.report(outcome("s1", batch: "b1"))
      outbox.report(outcome("s2", batch: "b2"))
      sent_on(1)
      sent_on(2)
      expect(outbox.held_batches).to contain_exactly("b1", "b2")

      outbox.acknowledged({ "partial_results" => [{ "batch_id" => "b2", "step_id" => "s2" }], "batch_completions" => ["b1"] })

      expect(outbox.unacknowledged).to eq(0)
      expect(outbox.held_batches).to eq(["b2"])
    end
  end
end
