# frozen_string_literal: true

# Counts handlers running at once and remembers the most.
class ConcurrencyProbe
  attr_reader :max

  def initialize
    @lock = Mutex.new
    @running = 0
    @max = 0
  end

  def enter
    @lock.synchronize do
      @running += 1
      @max = [@max, @running].max
    end
  end

  def leave
    @lock.synchronize { @running -= 1 }
  end
end


require "stringio"

# Object-mother fixtures and condition waits shared by the specs.
module Fixtures
  RUBY_WORKER = File.expand_path("../..", __dir__)
  EXECUTABLE = File.join(RUBY_WORKER, "bin/tasker-worker")

  # A STEP_BATCH step in its JSON shape; +fields+ (inputs:, checkpoint:, ...) are added with String keys.
  def a_step(handler: "spec.echo", task_context: {}, attempt: 1, max_attempts: 3, **fields)
    { "step_id" => SecureRandom.uuid, "task_id" => SecureRandom.uuid, "step_name" => "step_#{handler.tr('.', '_')}",
      "handler" => handler, "handler_config" => {}, "task_context" => task_context, "previous_results" => {},
      "metadata" => { "attempt" => attempt, "max_attempts" => max_attempts, "timeout_ms" => 30_000 } }
      .merge(fields.transform_keys(&:to_s))
  end

  # A STEP_BATCH body holding +steps+.
  def a_batch(*steps, batch_id: SecureRandom.uuid)
    { "batch_id" => batch_id, "protocol_version" => "1", "steps" => steps }
  end

  # A registry with the handlers the worker specs use. +probe+ (a ConcurrencyProbe) counts sleepers.
  def a_registry(probe = ConcurrencyProbe.new)
    registry = Tasker::HandlerRegistry.new
    registry.register("spec.echo") { |context| { "echo" => context.task_context, "attempt" => context.attempt } }
    registry.register("spec.sleep") do |context|
      probe.enter
      sleep(context.task_context.fetch("sleep_ms", 100) / 1000.0)
      probe.leave
      { "slept_ms" => context.task_context.fetch("sleep_ms", 100) }
    end
    registry.register("spec.raise") { |_context| raise ArgumentError, "no such order" }
    registry
  end

  # A quiet logger (warnings and above to a StringIO the spec can read).
  def a_log
    @a_log ||= StringIO.new
  end

  def a_logger
    Logger.new(a_log, level: Logger::WARN)
  end

  # A started worker connected to +orchestrator+; stopped after the example.
  def a_worker(orchestrator, registry: a_registry, **options)
    worker = Tasker::Worker.new(registry: registry, endpoint: orchestrator.endpoint, logger: a_logger,
                                drain_timeout: 2, **options).start
    (@workers ||= []) << worker
    worker
  end

  def stop_workers
    (@workers || []).each do |worker|
      worker.request_drain
      worker.request_drain # a second request stops waiting for acknowledgements
      raise "worker #{worker.worker_id} did not stop" unless worker.wait_until_stopped(5)
    end
  end

  # Waits until the block is truthy, failing after +timeout+ seconds.
  def wait_until(timeout: 5, message: "condition")
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
    until (value = yield)
      raise "timed out after #{timeout} s waiting for #{message}" if Process.clock_gettime(Process::CLOCK_MONOTONIC) > deadline

      sleep 0.01
    end
    value
  end
end
