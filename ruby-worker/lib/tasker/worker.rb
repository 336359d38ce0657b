# frozen_string_literal: true

require "logger"
require "securerandom"
require "concurrent"

require_relative "errors"
require_relative "worker/version"
require_relative "step_result"
require_relative "batch_cursor"
require_relative "step_context"
require_relative "step_handler"
require_relative "handler_registry"
require_relative "protocol"

module Tasker
  # A worker process's connection to the orchestrator: it registers the handlers of a
  # {HandlerRegistry}, runs the steps the orchestrator sends on a fixed pool of +concurrency+
  # threads and reports their results (docs/protocol.md).
  #
  # Lifecycle: NEW -> RUNNING ({#run} or {#start}) -> DRAINING ({#request_drain}) -> STOPPED. A
  # drain sends GOODBYE, finishes and reports the steps held, waits for the orchestrator's GOODBYE
  # and for every result to be acknowledged, and gives up after the drain timeout. One thread owns
  # the ZeroMQ socket; the public methods may be called from any thread, and {#request_drain} also
  # from a trap handler.
  #
  #   Tasker::Worker.register("greeting.say_hello") { |context| { "greeting" => "hello" } }
  #   worker = Tasker::Worker.new(endpoint: "tcp://127.0.0.1:5555", concurrency: 4)
  #   Signal.trap("TERM") { worker.request_drain }
  #   worker.run # => :drained
  class Worker
    class << self
      # The default registry, which {register} and {StepHandler.handles} fill.
      def registry
        @registry ||= HandlerRegistry.new
      end

      # Registers a handler in the default registry; see {HandlerRegistry#register}.
      def register(name, handler = nil, &block)
        registry.register(name, handler, &block)
      end

      # A Logger writing "time LEVEL message" lines to standard error.
      def default_logger(level = Logger::INFO)
        logger = Logger.new($stderr, level: level, progname: "tasker-worker")
        logger.formatter = proc do |severity, time, _progname, message|
          "#{time.utc.strftime('%Y-%m-%dT%H:%M:%S.%LZ')} #{severity.ljust(5)} tasker-worker: #{message}\n"
        end
        logger
      end
    end

    # @return [Settings]
    attr_reader :settings

    # @param settings [Settings, nil] or the keyword options of {Settings#initialize}
    # @raise [Tasker::ConfigurationError] naming the setting that is invalid
    def initialize(settings = nil, **options)
      @settings = settings || Settings.new(**options)
      @registered = Concurrent::Event.new
      @state = :new
      @lock = Mutex.new
      @stopped = Concurrent::Event.new
    end

    # The worker's id (sent in HELLO and every result).
    def worker_id = settings.worker_id

    # :new, :running, :draining or :stopped.
    def state
      return :draining if @state == :running && @loop&.drain_requested?

      @state
    end

    # Runs the worker on the calling thread until it is rejected or has drained.
    #
    # @return [Symbol] :drained, :drain_timeout (gave up with work left) or :rejected
    # @raise [Tasker::ConfigurationError] when the endpoint is invalid
    def run
      pool = start_running
      begin
        @loop.run
      ensure
        pool.shutdown
        pool.kill unless pool.wait_for_termination(@loop.drain_timed_out ? 0.1 : settings.drain_timeout)
        @loop.close
        @state = :stopped
        @stopped.set
      end
      outcome.tap { |result| settings.logger.info("worker #{worker_id} stopped (#{result})") }
    end

    # Runs the worker on a new thread; returns self. {#wait_until_stopped} waits for it to end.
    def start
      @thread = Thread.new do
        Thread.current.name = "tasker-worker-socket"
        @result = run
      rescue Exception => e # rubocop:disable Lint/RescueException -- reported through #error, never lost
        @error = e
        settings.logger.error("worker #{worker_id} stopped: #{e.class}: #{e.message}")
        @stopped.set
      end
      self
    end

    # Asks the worker to drain and stop. Safe from any thread and from trap handlers; a second
    # request stops waiting for results at once.
    def request_drain
      @drain_before_start = true if @loop.nil?
      @loop&.request_drain
    end

    # Asks the worker to announce +credit+ (the most steps it may hold at once; 0 pauses dispatch).
    def request_credit(credit)
      raise ArgumentError, "credit must be an Integer >= 0, got #{credit.inspect}" unless credit.is_a?(Integer) && credit >= 0

      @loop&.request_credit(credit)
    end

    # Waits up to +timeout+ seconds for the first WELCOME; true once the worker is registered.
    def wait_until_registered(timeout)
      @registered.wait(timeout)
    end

    # Waits up to +timeout+ seconds for {#run} to end; true once it has.
    def wait_until_stopped(timeout)
      @stopped.wait(timeout)
    end

    # The orchestrator's reason when it rejected the worker (every orchestrator, when given several), else nil.
    def rejection = @loop&.rejection

    # How many orchestrators have welcomed the worker at the moment; 0 before it starts. Any thread.
    def registered_orchestrators = @loop&.welcomed_sessions || 0

    # What {#run} returned on the {#start} thread, nil while running.
    attr_reader :result

    # The exception that ended the {#start} thread, if any.
    attr_reader :error

    private

    def start_running
      @lock.synchronize do
        raise Tasker::Error, "worker #{worker_id} was already started" unless @state == :new

        @state = :running
      end
      pool = Concurrent::FixedThreadPool.new(settings.concurrency, fallback_policy: :abort)
      @loop = Internal::WorkerLoop.new(settings, pool, @registered)
      @loop.request_drain if @drain_before_start
      pool
    end

    def outcome
      return :rejected if @loop.rejection
      return :drain_timeout if @loop.drain_timed_out

      :drained
    end
  end
end

require_relative "worker/curve_keys"
require_relative "worker/settings"
require_relative "worker/internal"
