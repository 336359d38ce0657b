# frozen_string_literal: true

RSpec.describe Tasker::StepHandler do
  let(:context_options) do
    { task_context: { "order_id" => 7 }, previous_results: { "validate" => { "ok" => true } },
      handler_config: { "rate" => 3 }, attempt: 2, max_attempts: 5, step_name: "charge",
      step_id: "0192f3a4-6000-7111-8222-333344445555", task_id: "0192f3a4-5000-7aaa-8bbb-ccccddddeeee",
      timeout_ms: 1500 }
  end

  def run(handler)
    Tasker::Testing.run_handler(handler, **context_options)
  end

  it "runs a handler that overrides call(context), seeing every field of the context" do
    handler = Class.new(described_class) do
      def call(context)
        { "task_context" => context.task_context, "previous" => context.previous_result("validate"),
          "config" => context.handler_config, "attempt" => context.attempt, "max" => context.max_attempts,
          "step" => context.step_name, "step_id" => context.step_id, "task_id" => context.task_id,
          "timeout_ms" => context.timeout_ms, "left" => context.attempts_left? }
      end
    end

    expect(run(handler).output).to eq(
      "task_context" => { "order_id" => 7 }, "previous" => { "ok" => true }, "config" => { "rate" => 3 },
      "attempt" => 2, "max" => 5, "step" => "charge", "step_id" => "0192f3a4-6000-7111-8222-333344445555",
      "task_id" => "0192f3a4-5000-7aaa-8bbb-ccccddddeeee", "timeout_ms" => 1500, "left" => true
    )
  end

  it "runs a handler that overrides process(task, sequence, step), the design document's style" do
    handler = Class.new(described_class) do
      def process(task, sequence, step)
        success(order: task.context["order_id"], task_id: task.task_id, validated: sequence["validate"]["ok"],
                step: step.name, step_id: step.step_id, config: step.handler_config, attempt: step.attempt,
                max_attempts: step.max_attempts, timeout: step.timeout)
      end
    end

    expect(run(handler).output).to eq(
      "order" => 7, "task_id" => "0192f3a4-5000-7aaa-8bbb-ccccddddeeee", "validated" => true, "step" => "charge",
      "step_id" => "0192f3a4-6000-7111-8222-333344445555", "config" => { "rate" => 3 }, "attempt" => 2,
      "max_attempts" => 5, "timeout" => 1.5
    )
  end

  it "reports a handler that overrides neither as a retryable NotImplementedError" do
    result = run(Class.new(described_class))

    expect(result).to be_retryable
    expect(result.error_type).to eq("NotImplementedError")
    expect(result.message).to match(/must override call\(context\) or process/)
  end

  it "runs blocks and lambdas in either style" do
    expect(run(->(context) { context.attempt * 10 }).output).to eq(20)
    expect(run(->(task, sequence, step) { [task.context["order_id"], sequence.keys, step.name] }).output)
      .to eq([7, ["validate"], "charge"])
    expect(run(proc { |context| context.step_name }).output).to eq("charge")
  end

  it "maps a raised exception to a retryable failure with the class name and the backtrace" do
    custom = Class.new(StandardError)
    stub_const("Billing::GatewayDown", custom)
    result = run(->(_context) { raise Billing::GatewayDown, "gateway down" })

    expect(result).to have_attributes(error_type: "Billing::GatewayDown", message: "gateway down", retry_after_ms: nil)
    expect(result).to be_retryable
    expect(result.backtrace.first).to include("step_handler_spec.rb")
  end

  it "maps an output that is not JSON to a retryable invalid_output failure naming where it is" do
    result = run(->(_context) { { "items" => [1, Object.new] } })
    expect(result).to have_attributes(error_type: "invalid_output")
    expect(result.message).to include("output.items[1]")

    expect(run(->(_c) { { "name" => "a\u0000b" } }).message).to include("\\u0000")
    expect(run(->(_c) { { "ratio" => Float::NAN } }).message).to include("not a finite number")
  end

  it "turns symbols in outputs into strings, as they travel" do
    expect(run(->(_c) { { status: :shipped, "n" => [nil, true, 1.5] } }).output)
      .to eq("status" => "shipped", "n" => [nil, true, 1.5])
  end

  it "reports a handler name the worker does not serve as a permanent unknown_handler failure" do
    result = Tasker::Testing.run_handler("no.such_handler", registry: Tasker::HandlerRegistry.new)

    expect(result).to have_attributes(error_type: "unknown_handler", message: include("no.such_handler"))
    expect(result).not_to be_retryable
  end

  it "names the step and the available ones when a previous result is missing" do
    result = run(->(context) { context.previous_result("ship") })

    expect(result.error_type).to eq("ArgumentError")
    expect(result.message).to eq("step 'charge' has no previous result 'ship'; available: [\"validate\"]")
  end

  describe "registration" do
    it "registers a class with the handles macro into the default registry" do
      name = "spec.handles.#{SecureRandom.hex(4)}"
      handler = Class.new(described_class) { def call(_c) = "ok" }
      handler.handles(name)

      expect(Tasker::Worker.registry.include?(name)).to be(true)
      expect(Tasker::Testing.run_handler(name).output).to eq("ok")
    end

    it "gives a registered class a new instance per attempt" do
      registry = Tasker::HandlerRegistry.new
      registry.register("count", Class.new(described_class) { def call(_c) = (@calls = (@calls || 0) + 1) })

      expect(Array.new(2) { Tasker::Testing.run_handler("count", registry: registry).output }).to eq([1, 1])
    end

    it "refuses blank names, taken names and things that cannot be called" do
      registry = Tasker::HandlerRegistry.new.register("a") { 1 }

      expect { registry.register(" ") { 1 } }.to raise_error(ArgumentError, /non-blank/)
      expect { registry.register("a") { 2 } }.to raise_error(ArgumentError, /already registered/)
      expect { registry.register("b", 42) }.to raise_error(ArgumentError, /respond to call/)
      expect { registry.register("c", String) }.to raise_error(ArgumentError, /must define call/)
      expect(registry.names).to eq(["a"])
    end
  end
end
