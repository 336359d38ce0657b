# frozen_string_literal: true

module Tasker
  # The outcome of one step attempt: a value, never an exception path. Build one with
  # {StepResult.success}, {StepResult.retryable_failure} or {StepResult.permanent_failure}.
  # Instances are immutable and safe to share between threads.
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
    end

    # The attempt failed and another may succeed. +retry_after_ms+ is the earliest the next attempt
    # should run, in milliseconds (nil lets the template's backoff decide; the orchestrator caps it
    # at the template's max_backoff_ms).
    RetryableFailure = Struct.new(:message, :error_type, :retry_after_ms) do
      def success? = false
      def retryable? = true
    end

    # The step failed and no retry can help; it ends in error at once.
    PermanentFailure = Struct.new(:message, :error_type) do
      def success? = false
      def retryable? = false
    end

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

    # Whether +value+ is one of the result types.
    def result?(value)
      value.is_a?(Success) || value.is_a?(RetryableFailure) || value.is_a?(PermanentFailure)
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
    private_class_method :check_message, :check_error_type
  end
end
