# frozen_string_literal: true

module Tasker
  # The outcome of one step attempt: a value, never an exception path. Build one with
  # {StepResult.success}, {StepResult.retryable_failure} or {StepResult.permanent_failure}; for
  # dynamic workflows (docs/workflows.md) with {StepResult.decision}, {StepResult.no_branches},
  # {StepResult.batches}, {StepResult.no_batches} (successes whose output the orchestrator reads)
  # or {StepResult.checkpoint_yield}. Instances are immutable and safe to share between threads.
  #
  # How the worker reads what a handler gives back:
  #
  # * a {StepResult} is used as it is;
  # * any other value (a Hash, an Array, a String, a number, true/false or nil) is the output of a
  #   success;
  # * a raised exception is a retryable failure whose error_type is the exception's class name, whose
  #   message is the exception's message and whose backtrace is the exception's (innermost first).
  module StepResult
    # Error type used when a failure does not name one.
    DEFAULT_ERROR_TYPE = "handler_error"

    # The step succeeded. +output+ is any JSON value (Hash with String or Symbol keys, Array,
    # String, Integer, finite Float, true, false, nil); dependents see it as a previous result.
    Success = Struct.new(:output) do
      def success? = true
      def retryable? = false
      def yielded? = false
    end

    # The attempt failed and another may succeed. +retry_after_ms+ is the earliest the next attempt
    # should run, in milliseconds (nil lets the template's backoff decide; the orchestrator caps it
    # at the template's max_backoff_ms).
    RetryableFailure = Struct.new(:message, :error_type, :retry_after_ms) do
      def success? = false
      def retryable? = true
      def yielded? = false
    end

    # The step failed and no retry can help; it ends in error at once.
    PermanentFailure = Struct.new(:message, :error_type) do
      def success? = false
      def retryable? = false
      def yielded? = false
    end

    # A batch worker stopped part-way and recorded where it got to: the attempt ends without an
    # outcome (status "checkpoint"), and the orchestrator sends the step again with +checkpoint+
    # (a Hash with String keys: "cursor", "items_processed", optional "accumulated_results") so
    # that the handler resumes from it. A yield does not use up the step's attempts.
    CheckpointYield = Struct.new(:checkpoint) do
      def success? = false
      def retryable? = false
      def yielded? = true
    end

    # Output key of a decision step's outcome.
    DECISION_OUTCOME = "decision_point_outcome"
    # Output key of a batchable step's outcome.
    BATCH_OUTCOME = "batch_processing_outcome"

    module_function

    # A success whose output is +output+ (default: an empty object).
    def success(output = {})
      Success.new(output).freeze
    end

    # A retryable failure.
    #
    # @param message [String] what went wrong, for people
    # @param error_type [String] a short machine-readable class of error, not blank
    # @param retry_after_ms [Integer, nil] milliseconds >= 0, or nil
    # @raise [ArgumentError] naming the argument that is invalid
    def retryable_failure(message, error_type: DEFAULT_ERROR_TYPE, retry_after_ms: nil)
      check_message(message)
      check_error_type(error_type)
      unless retry_after_ms.nil? || (retry_after_ms.is_a?(Integer) && retry_after_ms >= 0)
        raise ArgumentError, "retry_after_ms must be an Integer >= 0 (milliseconds) or nil, got #{retry_after_ms.inspect}"
      end

      RetryableFailure.new(message, error_type, retry_after_ms).freeze
    end

    # A permanent failure: the step ends in error without another attempt.
    #
    # @param message [String] what went wrong, for people
    # @param error_type [String] a short machine-readable class of error, not blank
    # @raise [ArgumentError] naming the argument that is invalid
    def permanent_failure(message, error_type: DEFAULT_ERROR_TYPE)
      check_message(message)
      check_error_type(error_type)
      PermanentFailure.new(message, error_type).freeze
    end

    # A decision step's success that creates the steps named +step_names+ (among the decision's
    # declared downstream steps; an empty list creates none). +output+'s other keys are kept.
    #
    # @param step_names [Array<String, Symbol>]
    # @param output [Hash] the rest of the step's output
    # @raise [ArgumentError] naming the argument that is invalid
    def decision(step_names, output = {})
      unless step_names.is_a?(Array) && step_names.all? { |name| name?(name) }
        raise ArgumentError, "step_names must be an Array of non-blank step names, got #{step_names.inspect[0, 100]}"
      end

      with_outcome(output, DECISION_OUTCOME, { "type" => "create_steps", "step_names" => step_names.map(&:to_s) })
    end

    # A decision step's success that creates no branch. +output+'s keys are kept.
    #
    # @raise [ArgumentError] when +output+ is not a Hash
    def no_branches(output = {})
      with_outcome(output, DECISION_OUTCOME, { "type" => "no_branches" })
    end

    # A batchable step's success that creates one batch worker per cursor, from the batch_worker
    # template step +worker_template+. Each worker gets its cursor as +context.cursor+.
    #
    # @param worker_template [String] the name of a batch_worker template step that depends on
    #   this step
    # @param cursor_configs [Array<Hash>] "batch_id", "start_cursor", "end_cursor" (half-open
    #   range) and "batch_size" each, e.g. from {BatchCursor.split}; may be empty
    # @param total_items [Integer] how many items the batches cover, >= 0
    # @param output [Hash] the rest of the step's output
    # @raise [ArgumentError] naming the argument that is invalid
    def batches(worker_template:, cursor_configs:, total_items:, output: {})
      raise ArgumentError, "worker_template must be a non-blank String, got #{worker_template.inspect}" unless name?(worker_template)
      unless cursor_configs.is_a?(Array) && cursor_configs.all?(Hash)
        raise ArgumentError, "cursor_configs must be an Array of Hashes, got #{cursor_configs.inspect[0, 100]}"
      end
      check_count(total_items, "total_items")

      with_outcome(output, BATCH_OUTCOME,
                   { "type" => "create_batches", "worker_template_name" => worker_template.to_s,
                     "worker_count" => cursor_configs.size, "cursor_configs" => cursor_configs,
                     "total_items" => total_items })
    end

    # A batchable step's success that creates no batch worker (the convergence step still runs).
    #
    # @raise [ArgumentError] when +output+ is not a Hash
    def no_batches(output = {})
      with_outcome(output, BATCH_OUTCOME, { "type" => "no_batches" })
    end

    # A batch worker's checkpoint yield: see {CheckpointYield}. The orchestrator refuses a yield
    # from any other kind of step (a permanent failure, "invalid_checkpoint").
    #
    # @param cursor [Object] where to resume, any JSON value but nil
    # @param items_processed [Integer] items done so far, >= 0
    # @param accumulated_results [Object, nil] any JSON value to resume with; nil leaves it out
    # @raise [ArgumentError] naming the argument that is invalid
    def checkpoint_yield(cursor:, items_processed:, accumulated_results: nil)
      raise ArgumentError, "cursor must not be nil (it is where the step resumes)" if cursor.nil?

      check_count(items_processed, "items_processed")
      checkpoint = { "cursor" => cursor, "items_processed" => items_processed }
      checkpoint["accumulated_results"] = accumulated_results unless accumulated_results.nil?
      CheckpointYield.new(checkpoint).freeze
    end

    # Whether +value+ is one of the result types.
    def result?(value)
      value.is_a?(Success) || value.is_a?(RetryableFailure) || value.is_a?(PermanentFailure) ||
        value.is_a?(CheckpointYield)
    end

    # +value+ as a result: results as they are, anything else as the output of a success.
    def from(value)
      result?(value) ? value : success(value)
    end

    def check_message(message)
      raise ArgumentError, "message must be a String, got #{message.inspect}" unless message.is_a?(String)
    end

    def check_error_type(error_type)
      return if error_type.is_a?(String) && !error_type.strip.empty?

      raise ArgumentError, "error_type must be a non-blank String, got #{error_type.inspect}"
    end
    def name?(value)
      (value.is_a?(String) || value.is_a?(Symbol)) && !value.to_s.strip.empty?
    end

    def check_count(value, name)
      return if value.is_a?(Integer) && value >= 0

      raise ArgumentError, "#{name} must be an Integer >= 0, got #{value.inspect}"
    end

    # A success whose output is +output+ with +outcome+ under +key+ (replacing any there).
    def with_outcome(output, key, outcome)
      raise ArgumentError, "output must be a Hash, got #{output.inspect[0, 100]}" unless output.is_a?(Hash)

      success(output.transform_keys { |k| k.is_a?(Symbol) ? k.to_s : k }.merge(key => outcome))
    end
    private_class_method :check_message, :check_error_type, :name?, :check_count, :with_outcome
  end
end
