# frozen_string_literal: true

RSpec.describe "a worker running batch workers that yield checkpoints" do
  let(:orchestrator) { FakeOrchestrator.new }
  let(:cursor) { { "batch_id" => "002", "start_cursor" => 200, "end_cursor" => 400, "batch_size" => 200 } }

  after do
    stop_workers
    orchestrator.close
  end

  # spec.rows: with no checkpoint, does 50 rows of its cursor and yields; resumed, finishes the range.
  def a_batch_worker_registry
    a_registry.tap do |registry|
      registry.register("spec.rows") do |context|
        range = context.cursor
        if context.checkpoint.nil?
          next Tasker::StepResult.checkpoint_yield(cursor: range["start_cursor"] + 50, items_processed: 50,
                                                   accumulated_results: { "sum" => 1225 })
        end

        { "rows" => range["end_cursor"] - range["start_cursor"], "resumed_at" => context.checkpoint["cursor"],
          "sum" => context.checkpoint["accumulated_results"]["sum"] + 1, "inputs" => context.inputs }
      end
    end
  end

  %w[json protobuf].each do |encoding|
    it "sends a yield as status checkpoint with the checkpoint in the partial and the summary, counted nowhere (#{encoding})" do
      a_worker(orchestrator, registry: a_batch_worker_registry)
      orchestrator.register(encoding: encoding)
      first = a_step(handler: "spec.rows", inputs: { "cursor" => cursor, "worker_template" => "rows" })
      failing = a_step(handler: "spec.raise")
      batch = a_batch(first, failing)

      orchestrator.send_message("STEP_BATCH", batch)
      partials = Array.new(2) { orchestrator.expect("PARTIAL_RESULT") }
      completion = orchestrator.expect("BATCH_COMPLETION").body

      yielded = partials.find { |p| p.body["step_id"] == first["step_id"] }
      checkpoint = { "cursor" => 250, "items_processed" => 50, "accumulated_results" => { "sum" => 1225 } }
      expect(yielded.body).to include("status" => "checkpoint", "checkpoint" => checkpoint, "attempt" => 1)
      expect(yielded.body).not_to include("output", "error")
      if encoding == "protobuf"
        raw = Tasker::V1::PartialResult.decode(yielded.frames[3])
        expect([raw.status, JSON.parse(raw.checkpoint_json)]).to eq([:STEP_STATUS_CHECKPOINT, checkpoint])
      else
        expect(JSON.parse(yielded.frames[3])).to include("status" => "checkpoint", "checkpoint" => checkpoint)
      end
      expect(completion).to include("total_steps" => 2, "completed_steps" => 0, "failed_steps" => 1,
                                    "in_progress_steps" => 0)
      summary = completion["step_summaries"].find { |s| s["step_id"] == first["step_id"] }
      expect(summary).to include("status" => "checkpoint", "checkpoint" => checkpoint)
      expect(summary).not_to include("output", "error")
    end

    it "gives the handler the step's inputs, its cursor and the checkpoint it is sent again with (#{encoding})" do
      a_worker(orchestrator, registry: a_batch_worker_registry)
      orchestrator.register(encoding: encoding)
      inputs = { "cursor" => cursor, "worker_template" => "rows" }
      again = a_step(handler: "spec.rows", attempt: 2, inputs: inputs,
                     checkpoint: { "cursor" => 250, "items_processed" => 50, "accumulated_results" => { "sum" => 1225 } })

      orchestrator.send_message("STEP_BATCH", a_batch(again))
      partial = orchestrator.expect("PARTIAL_RESULT").body
      completion = orchestrator.expect("BATCH_COMPLETION").body

      expect(partial).to include("status" => "completed", "attempt" => 2,
                                 "output" => { "rows" => 200, "resumed_at" => 250, "sum" => 1226, "inputs" => inputs })
      expect(partial).not_to have_key("checkpoint")
      expect(completion).to include("completed_steps" => 1, "failed_steps" => 0, "in_progress_steps" => 0)
    end
  end

  it "refuses a batch whose step carries a malformed checkpoint, naming the field" do
    a_worker(orchestrator, registry: a_batch_worker_registry)
    orchestrator.register

    orchestrator.send_message("STEP_BATCH", a_batch(a_step(handler: "spec.rows", checkpoint: { "items_processed" => 1 })))

    expect(orchestrator.expect("ERROR").body)
      .to include("code" => "malformed_body", "message" => "STEP_BATCH at steps[0].checkpoint.cursor: is required")
  end
end
