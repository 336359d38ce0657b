# frozen_string_literal: true

RSpec.describe "results of decision, batchable and batch worker steps" do
  let(:plan) { Tasker::BatchCursor.split(350, 200) }

  it "builds a decision that creates the named steps, keeping the other output keys" do
    result = Tasker::StepResult.decision(%w[manager_approval finance_review], { amount: 10_000 })

    expect(result).to be_success
    expect(result.output).to eq("amount" => 10_000, "decision_point_outcome" => {
                                  "type" => "create_steps", "step_names" => %w[manager_approval finance_review]
                                })
    expect(Tasker::StepResult.decision([:auto_approve]).output["decision_point_outcome"]["step_names"]).to eq(["auto_approve"])
  end

  it "builds a decision with no branches" do
    expect(Tasker::StepResult.no_branches.output).to eq("decision_point_outcome" => { "type" => "no_branches" })
    expect(Tasker::StepResult.no_branches("reason" => "small").output)
      .to eq("reason" => "small", "decision_point_outcome" => { "type" => "no_branches" })
  end

  it "builds a batch plan from cursor configs, counting the workers" do
    result = Tasker::StepResult.batches(worker_template: "process_csv_batch", cursor_configs: plan, total_items: 350,
                                        output: { "file" => "orders.csv" })

    expect(result.output).to eq(
      "file" => "orders.csv",
      "batch_processing_outcome" => {
        "type" => "create_batches", "worker_template_name" => "process_csv_batch", "worker_count" => 2,
        "cursor_configs" => [{ "batch_id" => "001", "start_cursor" => 0, "end_cursor" => 200, "batch_size" => 200 },
                             { "batch_id" => "002", "start_cursor" => 200, "end_cursor" => 350, "batch_size" => 200 }],
        "total_items" => 350
      }
    )
  end

  it "builds a batchable step's success without batches" do
    expect(Tasker::StepResult.no_batches.output).to eq("batch_processing_outcome" => { "type" => "no_batches" })
    expect(Tasker::StepResult.no_batches("rows" => 0).output["rows"]).to eq(0)
  end

  it "builds a checkpoint yield, leaving out accumulated results it was not given" do
    yielded = Tasker::StepResult.checkpoint_yield(cursor: 150, items_processed: 150, accumulated_results: { "sum" => 9 })

    expect(yielded).to be_yielded
    expect(yielded).not_to be_success
    expect(yielded).to be_frozen
    expect(yielded.checkpoint).to eq("cursor" => 150, "items_processed" => 150, "accumulated_results" => { "sum" => 9 })
    expect(Tasker::StepResult.checkpoint_yield(cursor: { "page" => "b" }, items_processed: 0).checkpoint)
      .to eq("cursor" => { "page" => "b" }, "items_processed" => 0)
    expect(Tasker::StepResult.success).not_to be_yielded
  end

  it "names the argument that is invalid" do
    expect { Tasker::StepResult.decision("a") }.to raise_error(ArgumentError, /step_names/)
    expect { Tasker::StepResult.decision([" "]) }.to raise_error(ArgumentError, /step_names/)
    expect { Tasker::StepResult.no_branches([1]) }.to raise_error(ArgumentError, /output must be a Hash/)
    expect { Tasker::StepResult.batches(worker_template: "", cursor_configs: [], total_items: 0) }
      .to raise_error(ArgumentError, /worker_template/)
    expect { Tasker::StepResult.batches(worker_template: "w", cursor_configs: [1], total_items: 0) }
      .to raise_error(ArgumentError, /cursor_configs/)
    expect { Tasker::StepResult.batches(worker_template: "w", cursor_configs: [], total_items: -1) }
      .to raise_error(ArgumentError, /total_items/)
    expect { Tasker::StepResult.checkpoint_yield(cursor: nil, items_processed: 1) }.to raise_error(ArgumentError, /cursor/)
    expect { Tasker::StepResult.checkpoint_yield(cursor: 1, items_processed: 1.0) }
      .to raise_error(ArgumentError, /items_processed/)
  end

  describe Tasker::BatchCursor do
    it "splits items into half-open ranges of the batch size, the last one shorter" do
      expect(described_class.split(5, 2)).to eq(
        [{ "batch_id" => "001", "start_cursor" => 0, "end_cursor" => 2, "batch_size" => 2 },
         { "batch_id" => "002", "start_cursor" => 2, "end_cursor" => 4, "batch_size" => 2 },
         { "batch_id" => "003", "start_cursor" => 4, "end_cursor" => 5, "batch_size" => 2 }]
      )
      expect(described_class.split(400, 200).map { |c| c["end_cursor"] }).to eq([200, 400])
    end

    it "gives no ranges for no items, and ids of more than three digits past 999" do
      expect(described_class.split(0, 10)).to eq([])
      expect(described_class.split(1000, 1).last(2).map { |c| c["batch_id"] }).to eq(%w[999 1000])
    end

    it "names the argument that is invalid" do
      expect { described_class.split(-1, 10) }.to raise_error(ArgumentError, /total_items/)
      expect { described_class.split(10, 0) }.to raise_error(ArgumentError, /batch_size/)
    end
  end

  describe "in a handler" do
    let(:cursor) { { "batch_id" => "002", "start_cursor" => 200, "end_cursor" => 350, "batch_size" => 200 } }

    it "has shortcuts for each result in a StepHandler" do
      handler = Class.new(Tasker::StepHandler) do
        def call(context)
          case context.task_context["kind"]
          when "decide" then decision(["b"], "x" => 1)
          when "none" then no_branches
          when "plan" then batches(worker_template: "w", cursor_configs: Tasker::BatchCursor.split(3, 2), total_items: 3)
          when "empty" then no_batches
          else checkpoint_yield(cursor: 7, items_processed: 7)
          end
        end
      end
      run = ->(kind) { Tasker::Testing.run_handler(handler, task_context: { "kind" => kind }) }

      expect(run.call("decide").output["decision_point_outcome"]).to eq("type" => "create_steps", "step_names" => ["b"])
      expect(run.call("none").output["decision_point_outcome"]).to eq("type" => "no_branches")
      expect(run.call("plan").output["batch_processing_outcome"]).to include("worker_count" => 2, "total_items" => 3)
      expect(run.call("empty").output["batch_processing_outcome"]).to eq("type" => "no_batches")
      expect(run.call("yield").checkpoint).to eq("cursor" => 7, "items_processed" => 7)
    end

    it "sees its inputs, its cursor and its last checkpoint on the context and on the step" do
      seen = lambda do |context|
        { "inputs" => context.inputs, "cursor" => context.cursor, "checkpoint" => context.checkpoint,
          "step" => [context.step.inputs, context.step.cursor, context.step.checkpoint] }
      end
      checkpoint = { "cursor" => 260, "items_processed" => 60 }

      output = Tasker::Testing.run_handler(seen, inputs: { "cursor" => cursor, "worker_template" => "w" },
                                                 checkpoint: checkpoint).output

      expect(output).to eq("inputs" => { "cursor" => cursor, "worker_template" => "w" }, "cursor" => cursor,
                           "checkpoint" => checkpoint,
                           "step" => [{ "cursor" => cursor, "worker_template" => "w" }, cursor, checkpoint])
    end

    it "has no inputs, cursor or checkpoint on a step of the template" do
      context = Tasker::StepContext.new

      expect([context.inputs, context.cursor, context.checkpoint]).to eq([{}, nil, nil])
    end

    it "yields a checkpoint whose keys become Strings, and fails one that is not JSON as invalid_output" do
      symbols = ->(_context) { Tasker::StepResult.checkpoint_yield(cursor: { row: 3 }, items_processed: 3, accumulated_results: [:a]) }
      not_json = ->(_context) { Tasker::StepResult.checkpoint_yield(cursor: Object.new, items_processed: 3) }

      expect(Tasker::Testing.run_handler(symbols).checkpoint)
        .to eq("cursor" => { "row" => 3 }, "items_processed" => 3, "accumulated_results" => ["a"])
      failure = Tasker::Testing.run_handler(not_json)
      expect(failure).to have_attributes(error_type: "invalid_output", retryable?: true)
      expect(failure.message).to start_with("checkpoint.cursor: a Object is not a JSON value")
    end
  end
end
