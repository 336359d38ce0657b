# frozen_string_literal: true

require "open3"
require "tmpdir"

RSpec.describe "bin/tasker-worker" do
  let(:orchestrator) { FakeOrchestrator.new }
  let(:conformance) { File.join(Fixtures::RUBY_WORKER, "examples/conformance.rb") }
  let(:log) { File.join(Dir.tmpdir, "tasker-worker-spec-#{Process.pid}-#{SecureRandom.hex(4)}.log") }

  after do
    if @pid
      Process.kill("KILL", @pid) if wait_for_exit(0)
      Process.wait(@pid) rescue Errno::ECHILD # rubocop:disable Style/RescueModifier
    end
    orchestrator.close
    File.delete(log) if File.exist?(log)
  end

  # Starts the executable from / (so nothing depends on the working directory).
  def spawn_worker(*args)
    @pid = Process.spawn(RbConfig.ruby, Fixtures::EXECUTABLE, "--endpoint", orchestrator.endpoint, "--require", conformance,
                         *args, chdir: "/", in: File::NULL, out: log, err: log)
  end

  # nil once exited (status in @status), else the pid.
  def wait_for_exit(timeout)
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
    loop do
      _, status = Process.wait2(@pid, Process::WNOHANG)
      if status
        @status = status
        @pid = nil
        return nil
      end
      return @pid if Process.clock_gettime(Process::CLOCK_MONOTONIC) >= deadline

      sleep 0.02
    end
  end

  def run_cli(*args)
    Open3.capture3(RbConfig.ruby, Fixtures::EXECUTABLE, *args, chdir: "/")
  end

  it "drains on SIGTERM: GOODBYE, reports the running step, waits for GOODBYE and ACK, exits 0" do
    spawn_worker("--worker-id", "ruby-conformance-1", "--concurrency", "2")
    hello = orchestrator.register(timeout: 10)
    expect(hello.body).to include("worker_id" => "ruby-conformance-1", "concurrency" => 2,
                                  "handlers" => %w[conformance.echo conformance.permanent conformance.raise
                                                   conformance.retryable conformance.sleep])
    batch = a_batch(a_step(handler: "conformance.sleep", task_context: { "sleep_ms" => 500 }))
    orchestrator.send_message("STEP_BATCH", batch)
    sleep 0.15

    Process.kill("TERM", @pid)

    expect(orchestrator.expect("GOODBYE").body).to eq("reason" => "draining")
    partial = orchestrator.expect("PARTIAL_RESULT").body
    expect(partial).to include("status" => "completed", "step_id" => batch["steps"][0]["step_id"])
    expect(partial["output"]["finished_at_ms"] - partial["output"]["started_at_ms"]).to be >= 500
    orchestrator.expect("BATCH_COMPLETION")
    orchestrator.send_message("GOODBYE", { "reason" => "acknowledged" })
    expect(wait_for_exit(0.3)).to eq(@pid) # still waiting for the ACK
    orchestrator.send_message("ACK", { "partial_results" => [], "batch_completions" => [batch["batch_id"]] })

    expect(wait_for_exit(3)).to be_nil
    expect(@status.exitstatus).to eq(0)
    expect(File.read(log)).to include("registered with orchestrator", "is draining")
  end

  it "exits 2 when the orchestrator rejects it" do
    spawn_worker
    orchestrator.expect("HELLO", timeout: 10)

    orchestrator.send_message("REJECT", { "worker_id" => "", "reason" => "no common protocol version: worker offered [1]",
                                          "supported_versions" => ["2"] })

    expect(wait_for_exit(3)).to be_nil
    expect(@status.exitstatus).to eq(2)
    expect(File.read(log)).to include("no common protocol version")
  end

  it "exits 1 on bad arguments, naming the option" do
    {
      %w[--concurrency 0] => "--concurrency must be an integer >= 1, got '0'",
      %w[--drain-timeout soon] => "--drain-timeout must be a number of seconds > 0, got 'soon'",
      %w[--encodings json,xml] => "--encodings: unknown encoding 'xml'",
      %w[--encodings protobuf] => "--encodings must include json (every worker accepts it), got 'protobuf'",
      %w[--log-level loud] => "--log-level must be one of debug, info, warn, error, got 'loud'",
      %w[--worker-id] => "missing argument: --worker-id",
      %w[--colour] => "invalid option: --colour",
      ["--worker-id", " "] => "--worker-id: worker_id must be a non-blank String"
    }.each do |args, message|
      _out, err, status = run_cli("--require", conformance, *args)

      expect(status.exitstatus).to eq(1), "#{args} exited #{status.exitstatus}"
      expect(err).to include(message)
    end
    _out, err, status = run_cli("--require", "no/such/handlers.rb")
    expect([status.exitstatus, err]).to eq([1, "tasker-worker: --require: no such file 'no/such/handlers.rb'\n" \
                                                "Run tasker-worker --help for the options.\n"])
  end

  it "prints its options with --help from any directory" do
    out, _err, status = run_cli("--help")

    expect(status.exitstatus).to eq(0)
    expect(out).to include("--endpoint URL", "--require FILE", "--concurrency N", "--worker-id ID", "--encodings LIST",
                           "--drain-timeout SECONDS", "--log-level LEVEL")
  end
end
