# frozen_string_literal: true

require "tmpdir"

# A real orchestrator for the client's specs: `tasker orchestrator` (the repository's launcher,
# which builds the project first when the build is missing or stale) on free ports, with an
# embedded PostgreSQL whose data lives in a temporary directory, operate and read tokens, and a Ruby
# worker process serving the diamond and order fulfillment example handlers. Fails, never skips,
# when it cannot start: the log says why.
class LiveOrchestrator
  ROOT = File.expand_path("..", Fixtures::RUBY_WORKER)
  OPERATE_TOKEN = "ruby-spec-operate-#{SecureRandom.hex(8)}"
  READ_TOKEN = "ruby-spec-read-#{SecureRandom.hex(8)}"
  START_TIMEOUT = 300 # seconds: a first run may build the project
  HTTP_LINE = %r{HTTP API and dashboard on (http://\S+?)/?$}
  ROUTER_LINE = %r{listening on \[tcp://127\.0\.0\.1:(\d+)}

  attr_reader :url

  def initialize
    @dir = Dir.mktmpdir("tasker-client-spec")
    @log = File.join(@dir, "orchestrator.log")
    @worker_log = File.join(@dir, "worker.log")
  end

  def start
    env = { "TASKER_DATABASE_URL" => nil, "TASKER_HTTP_ENDPOINT" => nil, "TASKER_ENDPOINTS" => nil,
            "TASKER_API_OPERATE_TOKENS" => OPERATE_TOKEN, "TASKER_API_READ_TOKENS" => READ_TOKEN }
    @pid = Process.spawn(env, File.join(ROOT, "tasker"), "orchestrator", "--endpoint", "tcp://127.0.0.1:0",
                         "--http-endpoint", "127.0.0.1:0", chdir: @dir, in: File::NULL, out: @log, err: @log)
    @url = await_line(HTTP_LINE)
    port = await_line(ROUTER_LINE)
    @worker = Process.spawn(RbConfig.ruby, Fixtures::EXECUTABLE, "--endpoint", "tcp://127.0.0.1:#{port}",
                            "--require", File.join(Fixtures::RUBY_WORKER, "examples/diamond.rb"),
                            "--require", File.join(Fixtures::RUBY_WORKER, "examples/order_fulfillment.rb"),
                            chdir: @dir, in: File::NULL, out: @worker_log, err: @worker_log)
    self
  end

  def stop
    [@worker, @pid].compact.each do |pid|
      Process.kill("TERM", pid)
      deadline = monotonic + 30
      sleep 0.1 while Process.wait(pid, Process::WNOHANG).nil? && monotonic < deadline
      if monotonic >= deadline
        Process.kill("KILL", pid)
        Process.wait(pid)
      end
    rescue Errno::ESRCH, Errno::ECHILD
      nil
    end
    FileUtils.rm_rf(@dir)
  end

  def worker_log
    File.exist?(@worker_log) ? File.read(@worker_log) : ""
  end

  private

  def await_line(pattern)
    deadline = monotonic + START_TIMEOUT
    loop do
      text = File.exist?(@log) ? File.read(@log) : ""
      match = text.match(pattern)
      return match[1] if match
      raise "tasker orchestrator exited before printing #{pattern.source}; its log:\n#{text}" if Process.wait(@pid, Process::WNOHANG)
      raise "tasker orchestrator printed no #{pattern.source} within #{START_TIMEOUT} s; its log:\n#{text}" if monotonic > deadline

      sleep 0.1
    end
  end

  def monotonic
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end
end
