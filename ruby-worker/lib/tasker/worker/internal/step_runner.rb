# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # How one step attempt ended, before it is numbered and sent. +output+ is meaningful when
      # +output_present+; +error+ is the protocol's error object when the step failed;
      # +checkpoint+ the checkpoint object when it yielded (status "checkpoint").
      StepOutcome = Struct.new(:batch_id, :step_id, :attempt, :status, :output, :output_present, :error,
                               :checkpoint, :execution_time_ms, :finished_at, keyword_init: true)

      # Runs one step attempt and turns whatever happens into a {StepOutcome}: the single place where
      # handler results and exceptions are mapped to the protocol. Stateless and thread-safe.
      #
      # * a {StepResult} or a plain value (the output of a success) is reported as it is;
      # * an exception is a retryable failure: error_type is its class name, message its message,
      #   backtrace its backtrace (innermost first, at most {MAX_BACKTRACE_FRAMES} frames);
      # * no handler for the step's name is a permanent failure of type "unknown_handler";
      # * an output (or a yielded checkpoint) that is not JSON is a retryable failure of type
      #   "invalid_output";
      # * a {StepResult::CheckpointYield} is reported with status "checkpoint".
      module StepRunner
        UNKNOWN_HANDLER = "unknown_handler"
        INVALID_OUTPUT = "invalid_output"
        MAX_BACKTRACE_FRAMES = 30

        module_function

        # @param invoker [#call, nil] the handler (from {HandlerRegistry#fetch}), nil if none
        # @param context [StepContext]
        # @param clock [#call] returns the current Time
        def run(invoker, context, batch_id, clock: -> { Time.now })
          started = Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond)
          result = outcome_of(invoker, context)
          elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC, :millisecond) - started
          StepOutcome.new(batch_id: batch_id, step_id: context.step_id, attempt: context.attempt,
                          execution_time_ms: elapsed, finished_at: Protocol::Timestamps.format(clock.call),
                          **fields_of(result))
        end

        # The handler's result as a {StepResult}, with exceptions and bad outputs mapped. Also what
        # {Tasker::Testing} returns.
        def outcome_of(invoker, context)
          if invoker.nil?
            return StepResult.permanent_failure("this worker does not serve handler '#{context.handler_name}'",
                                                error_type: UNKNOWN_HANDLER)
          end

          case (result = StepResult.from(invoker.call(context)))
          when StepResult::Success then StepResult.success(JsonOutput.normalize(result.output))
          when StepResult::CheckpointYield
            StepResult::CheckpointYield.new(JsonOutput.normalize(result.checkpoint, "checkpoint")).freeze
          else result
          end
        rescue JsonOutput::InvalidOutput => e
          StepResult.retryable_failure(JsonOutput.scrub(e.message), error_type: INVALID_OUTPUT)
        rescue Exception => e # rubocop:disable Lint/RescueException -- any failure of a handler is its step's failure
          ExceptionFailure.new(e)
        end

        # A raised exception, as a retryable failure that keeps the backtrace.
        class ExceptionFailure < StepResult::RetryableFailure
          attr_reader :exception, :backtrace

          def initialize(exception)
            message = exception.message.to_s.empty? ? exception.class.to_s : exception.message
            super(JsonOutput.scrub(message), JsonOutput.scrub(exception.class.name || exception.class.to_s), nil)
            @exception = exception
            @backtrace = (exception.backtrace || []).first(MAX_BACKTRACE_FRAMES).map { |line| JsonOutput.scrub(line) }
            freeze
          end
        end

        def fields_of(result)
          case result
          when StepResult::Success
            { status: "completed", output: result.output, output_present: !result.output.nil? }
          when StepResult::CheckpointYield
            { status: "checkpoint", checkpoint: result.checkpoint, output_present: false }
          when StepResult::RetryableFailure
            error = { "message" => JsonOutput.scrub(result.message), "error_type" => JsonOutput.scrub(result.error_type),
                      "backtrace" => result.respond_to?(:backtrace) ? result.backtrace : [], "retryable" => true }
            error["retry_after_ms"] = result.retry_after_ms if result.retry_after_ms
            { status: "failed", error: error, output_present: false }
          else
            { status: "failed", output_present: false,
              error: { "message" => JsonOutput.scrub(result.message), "error_type" => JsonOutput.scrub(result.error_type),
                       "backtrace" => [], "retryable" => false } }
          end
        end
      end
    end
  end
end
