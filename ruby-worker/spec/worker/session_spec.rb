# frozen_string_literal: true

RSpec.describe "a worker's session with an orchestrator" do
  let(:orchestrator) { FakeOrchestrator.new }

  after do
    stop_workers
    orchestrator.close
  end

  def monotonic = Process.clock_gettime(Process::CLOCK_MONOTONIC)

  it "registers with a HELLO naming itself, its sorted handlers, credit, versions, encodings and held batches" do
    worker = a_worker(orchestrator, concurrency: 4, worker_id: "ruby-worker-1")

    hello = orchestrator.register

    expect(hello.identity).to eq("ruby-worker-1")
    expect(hello.frames[1..2]).to eq(%w[tasker/1 HELLO])
    expect(hello.body).to eq("worker_id" => "ruby-worker-1", "language" => "ruby", "sdk_version" => Tasker::Worker::VERSION,
                             "protocol_versions" => ["1"], "handlers" => %w[spec.echo spec.raise spec.sleep],
                             "concurrency" => 4, "encodings" => %w[json protobuf], "held_batches" => [])
    expect(worker.wait_until_registered(2)).to be(true)
  end

  it "uses a UUIDv7 worker id by default and offers only the encodings it is told to" do
    worker = a_worker(orchestrator, encodings: ["json"])

    hello = orchestrator.register

    expect(worker.worker_id).to match(/\A\h{8}-\h{4}-7\h{3}-[89ab]\h{3}-\h{12}\z/)
    expect(hello.body).to include("worker_id" => worker.worker_id, "encodings" => ["json"])
  end

  it "sends HELLO again with a doubling backoff until welcomed" do
    a_worker(orchestrator)

    at = Array.new(3) { orchestrator.expect("HELLO") && monotonic }

    gaps = at.each_cons(2).map { |a, b| b - a }
    expect(gaps[0]).to be_between(0.15, 0.35)
    expect(gaps[1]).to be_between(0.35, 0.6)
  end

  it "runs a batch's steps concurrently, reporting partials 1, 2, 3 as they end, then a completion" do
    worker = a_worker(orchestrator, concurrency: 3)
    orchestrator.register
    batch = a_batch(a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 300 }),
                    a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 300 }),
                    a_step(handler: "spec.echo", task_context: { "x" => 1 }, attempt: 2))
    started = monotonic

    orchestrator.send_message("STEP_BATCH", batch)
    partials = Array.new(3) { orchestrator.expect("PARTIAL_RESULT").body }
    completion = orchestrator.expect("BATCH_COMPLETION").body

    expect(monotonic - started).to be < 0.55 # 2 x 300 ms in parallel
    expect(partials.map { |p| p["sequence"] }).to eq([1, 2, 3])
    expect(partials.first).to include("step_id" => batch["steps"][2]["step_id"], "attempt" => 2, "status" => "completed",
                                      "output" => { "echo" => { "x" => 1 }, "attempt" => 2 })
    partials.each do |partial|
      expect(partial).to include("batch_id" => batch["batch_id"], "worker_id" => worker.worker_id)
      expect(partial["timestamp"]).to match(/\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\z/)
    end
    expect(partials.last["execution_time_ms"]).to be >= 300
    expect(completion).to include("batch_id" => batch["batch_id"], "total_steps" => 3, "completed_steps" => 3,
                                  "failed_steps" => 0, "in_progress_steps" => 0)
    expect(completion["step_summaries"])
      .to eq(partials.map { |p| p.slice("step_id", "attempt", "status", "output", "error", "execution_time_ms") })
  end

  it "never runs more handlers at once than its concurrency, even when sent more steps" do
    probe = ConcurrencyProbe.new
    a_worker(orchestrator, registry: a_registry(probe), concurrency: 2)
    orchestrator.register
    batch = a_batch(*Array.new(6) { a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 100 }) })
    started = monotonic

    orchestrator.send_message("STEP_BATCH", batch)
    partials = Array.new(6) { orchestrator.expect("PARTIAL_RESULT").body }
    orchestrator.expect("BATCH_COMPLETION")

    expect(probe.max).to eq(2)
    expect(monotonic - started).to be >= 0.3 # three rounds of two
    expect(partials.map { |p| p["sequence"] }).to eq([1, 2, 3, 4, 5, 6])
  end

  it "fails a step with a handler it does not serve permanently, and a raising handler retryably" do
    a_worker(orchestrator)
    orchestrator.register
    unknown = a_step(handler: "billing.charge")
    raising = a_step(handler: "spec.raise")

    orchestrator.send_message("STEP_BATCH", a_batch(unknown, raising))
    partials = Array.new(2) { orchestrator.expect("PARTIAL_RESULT").body }.to_h { |p| [p["step_id"], p] }
    completion = orchestrator.expect("BATCH_COMPLETION").body

    expect(partials[unknown["step_id"]]).to include("status" => "failed")
    expect(partials[unknown["step_id"]]["error"])
      .to eq("message" => "this worker does not serve handler 'billing.charge'", "error_type" => "unknown_handler",
             "backtrace" => [], "retryable" => false)
    error = partials[raising["step_id"]]["error"]
    expect(error).to include("message" => "no such order", "error_type" => "ArgumentError", "retryable" => true)
    expect(error["backtrace"].first).to include("spec/support/fixtures.rb")
    expect(partials.values).to all(satisfy { |p| !p.key?("output") })
    expect(completion).to include("completed_steps" => 0, "failed_steps" => 2)
  end

  it "ignores a batch it is already running" do
    a_worker(orchestrator)
    orchestrator.register
    batch = a_batch(a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 200 }))

    orchestrator.send_message("STEP_BATCH", batch)
    orchestrator.send_message("STEP_BATCH", batch)

    results = orchestrator.collect(0.6, types: %w[PARTIAL_RESULT BATCH_COMPLETION ERROR])
    expect(results.map(&:type)).to eq(%w[PARTIAL_RESULT BATCH_COMPLETION])
  end

  it "heartbeats when it has sent nothing for an interval" do
    a_worker(orchestrator)
    orchestrator.register(heartbeat_interval_ms: 100)

    received = Array.new(6) do
      orchestrator.send_message("HEARTBEAT", { "sent_at" => Tasker::Protocol::Timestamps.format(Time.now) })
      orchestrator.collect(0.1)
    end.flatten

    expect(received.map(&:type).uniq).to eq(["HEARTBEAT"])
    expect(received.size).to be_between(4, 7)
    expect(received.first.body["sent_at"]).to match(/\.\d{3}Z\z/)
  end

  it "registers again when the orchestrator is silent for three intervals" do
    a_worker(orchestrator)
    orchestrator.register(heartbeat_interval_ms: 100)
    welcomed = monotonic

    orchestrator.expect("HELLO", timeout: 2)

    expect(monotonic - welcomed).to be_between(0.28, 0.8)
  end

  it "registers again at once on ERROR not_registered and on an orchestrator's GOODBYE" do
    a_worker(orchestrator)
    orchestrator.register

    orchestrator.send_message("ERROR", { "code" => "not_registered", "message" => "who are you?" })
    orchestrator.register(timeout: 0.5)
    orchestrator.send_message("GOODBYE", { "reason" => "shutdown" })
    orchestrator.expect("HELLO", timeout: 0.5)
  end

  it "keeps results until acknowledged and resends them, in order, after registering again with held_batches" do
    a_worker(orchestrator)
    orchestrator.register
    first = a_batch(a_step, a_step)
    orchestrator.send_message("STEP_BATCH", first)
    sent = Array.new(2) { orchestrator.expect("PARTIAL_RESULT").body } + [orchestrator.expect("BATCH_COMPLETION").body]

    orchestrator.send_message("ERROR", { "code" => "not_registered", "message" => "restarted" })
    hello = orchestrator.register(orchestrator_id: "0192f3a4-0000-7000-8000-000000000002")
    resent = Array.new(2) { orchestrator.expect("PARTIAL_RESULT").body } + [orchestrator.expect("BATCH_COMPLETION").body]

    expect(hello.body["held_batches"]).to eq([first["batch_id"]])
    expect(resent).to eq(sent)

    orchestrator.send_message("ACK", { "partial_results" => [], "batch_completions" => [first["batch_id"]] })
    orchestrator.send_message("ERROR", { "code" => "not_registered", "message" => "restarted again" })
    hello = orchestrator.register
    expect(hello.body["held_batches"]).to eq([])
    orchestrator.expect_silence(0.3)
  end

  it "resends only the partial results an ACK did not list" do
    a_worker(orchestrator)
    orchestrator.register
    steps = [a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 10 }),
             a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 300 })]
    batch = a_batch(*steps)
    orchestrator.send_message("STEP_BATCH", batch)
    first = orchestrator.expect("PARTIAL_RESULT").body
    orchestrator.send_message("ACK", { "partial_results" => [first.slice("batch_id", "step_id")], "batch_completions" => [] })
    second = orchestrator.expect("PARTIAL_RESULT").body
    orchestrator.expect("BATCH_COMPLETION")

    orchestrator.send_message("ERROR", { "code" => "not_registered", "message" => "restarted" })
    orchestrator.register

    expect(orchestrator.expect("PARTIAL_RESULT").body).to eq(second)
    expect(orchestrator.expect("BATCH_COMPLETION").body["step_summaries"].size).to eq(2)
  end

  it "stops when the orchestrator rejects it" do
    worker = a_worker(orchestrator)
    orchestrator.expect("HELLO")

    orchestrator.send_message("REJECT", { "worker_id" => "", "reason" => "no common protocol version",
                                          "supported_versions" => ["2"] })

    expect(worker.wait_until_stopped(2)).to be(true)
    expect(worker.result).to eq(:rejected)
    expect(worker.rejection).to eq("no common protocol version")
    expect(a_log.string).to include("rejected worker")
  end

  it "drains: GOODBYE, finishes held steps, waits for the orchestrator's GOODBYE and every ACK" do
    worker = a_worker(orchestrator)
    orchestrator.register
    batch = a_batch(a_step(handler: "spec.sleep", task_context: { "sleep_ms" => 300 }))
    orchestrator.send_message("STEP_BATCH", batch)
    sleep 0.05

    worker.request_drain
    expect(orchestrator.expect("GOODBYE").body).to eq("reason" => "draining")
    late = a_batch(a_step) # sent before the orchestrator's answer: still run and reported
    orchestrator.send_message("STEP_BATCH", late)
    results = orchestrator.collect(0.5, types: %w[PARTIAL_RESULT BATCH_COMPLETION]).map(&:body)
    expect(results.map { |r| r["batch_id"] }.tally).to eq(batch["batch_id"] => 2, late["batch_id"] => 2)

    orchestrator.send_message("GOODBYE", { "reason" => "acknowledged" })
    expect(worker.wait_until_stopped(0.3)).to be(false) # results not yet acknowledged
    expect(worker.state).to eq(:draining)
    orchestrator.send_message("ACK", { "partial_results" => [], "batch_completions" => [batch["batch_id"], late["batch_id"]] })

    expect(worker.wait_until_stopped(1)).to be(true)
    expect(worker.result).to eq(:drained)
    expect(worker.state).to eq(:stopped)
  end

  it "gives up a drain after its timeout, with a warning" do
    worker = a_worker(orchestrator, drain_timeout: 0.3)
    orchestrator.register
    orchestrator.send_message("STEP_BATCH", a_batch(a_step))
    orchestrator.expect("BATCH_COMPLETION", skip: %w[HEARTBEAT PARTIAL_RESULT])

    worker.request_drain
    orchestrator.expect("GOODBYE")

    expect(worker.wait_until_stopped(1)).to be(true)
    expect(worker.result).to eq(:drain_timeout)
    expect(a_log.string).to include("stops after its drain timeout with 0 steps running, 0 results unsent and 2 unacknowledged")
  end
end
