# frozen_string_literal: true

module Tasker
  # The task a step belongs to, as {StepHandler#process} sees it.
  #
  # @!attribute task_id [String] the task's UUID
  # @!attribute context [Hash] the task's input (the task context), string keys
  Task = Struct.new(:task_id, :context, keyword_init: true)

  # The step being run, as {StepHandler#process} sees it.
  #
  # @!attribute name [String] the step's name in its template
  # @!attribute step_id [String] the step's UUID; stable across attempts, a good idempotency key
  # @!attribute handler [String] the handler (callable) name it was dispatched under
  # @!attribute handler_config [Hash] the template's handler.initialization ({} when absent)
  # @!attribute attempt [Integer] which attempt this is, from 1
  # @!attribute max_attempts [Integer] attempts allowed in all
  # @!attribute timeout_ms [Integer] how long this attempt may run, milliseconds
  # @!attribute inputs [Hash] what the orchestrator gave the step when it created it ({} for most)
  # @!attribute checkpoint [Hash, nil] the last checkpoint the step yielded, nil when none
  Step = Struct.new(:name, :step_id, :handler, :handler_config, :attempt, :max_attempts, :timeout_ms,
                    :inputs, :checkpoint, keyword_init: true) do
    # How long this attempt may run, in seconds (a Float).
    def timeout = timeout_ms / 1000.0

    # A batch worker's cursor (see {StepContext#cursor}), nil for other steps.
    def cursor = StepContext.cursor_of(inputs)
  end

  # Everything a handler gets for one attempt of a step. Immutable and safe to share between
  # threads (the JSON values inside are the handler's own copies: nothing else reads them).
  #
  # JSON objects are Hashes with String keys, exactly as they travel on the wire.
  class StepContext
    # @return [String] the task's UUID
    attr_reader :task_id
    # @return [String] the step's UUID; stable across attempts, a good idempotency key
    attr_reader :step_id
    # @return [String] the step's name in its template
    attr_reader :step_name
    # @return [String] the handler (callable) name the step was dispatched under
    attr_reader :handler_name
    # @return [Hash] the task's input context
    attr_reader :task_context
    # @return [Hash{String=>Object}] outputs of every ancestor step (direct and transitive), by name
    attr_reader :previous_results
    # @return [Hash] the template's handler.initialization for this step ({} when absent)
    attr_reader :handler_config
    # @return [Integer] which attempt this is, from 1
    attr_reader :attempt
    # @return [Integer] attempts allowed in all (never less than {#attempt})
    attr_reader :max_attempts
    # @return [Integer] how long this attempt may run, milliseconds
    attr_reader :timeout_ms
    # @return [Hash] what the orchestrator gave the step when it created it: a batch worker's
    #   {"cursor" => {...}, ...}; {} for steps of the template
    attr_reader :inputs
    # @return [Hash, nil] the last checkpoint this step yielded ({StepResult.checkpoint_yield}):
    #   "cursor", "items_processed" and "accumulated_results" when it had them; nil when it never
    #   yielded. A retry after a failure or a lost worker gets it too: resume from it.
    attr_reader :checkpoint

    # The batch cursor in +inputs+ (a Hash), or nil.
    def self.cursor_of(inputs)
      cursor = inputs && inputs["cursor"]
      cursor.is_a?(Hash) ? cursor : nil
    end

    # Defaults suit tests: random ids, empty objects, attempt 1 of 1, 30 s, no inputs or checkpoint.
    def initialize(task_context: {}, previous_results: {}, handler_config: {}, attempt: 1, max_attempts: 1,
                   step_name: "step", handler_name: "handler", step_id: nil, task_id: nil, timeout_ms: 30_000,
                   inputs: {}, checkpoint: nil)
      @task_id = task_id || SecureRandom.uuid
      @step_id = step_id || SecureRandom.uuid
      @step_name = step_name
      @handler_name = handler_name
      @task_context = task_context
      @previous_results = previous_results
      @handler_config = handler_config
      @attempt = attempt
      @max_attempts = [max_attempts, attempt].max
      @timeout_ms = timeout_ms
      @inputs = inputs || {}
      @checkpoint = checkpoint
      freeze
    end

    # The output of ancestor step +name+.
    #
    # @raise [ArgumentError] naming the step and the available ones when +name+ is not an ancestor
    def previous_result(name)
      previous_results.fetch(name.to_s) do
        raise ArgumentError,
              "step '#{step_name}' has no previous result '#{name}'; available: #{previous_results.keys.sort.inspect}"
      end
    end

    # A batch worker's range of items: "batch_id", "start_cursor", "end_cursor" (half-open:
    # items start_cursor ... end_cursor) and "batch_size", as the batchable step planned it
    # ({StepResult.batches}); nil for a step that is not a batch worker.
    #
    # @return [Hash, nil]
    def cursor
      StepContext.cursor_of(inputs)
    end

    # Whether a retryable failure of this attempt will be retried.
    def attempts_left?
      attempt < max_attempts
    end

    # How long this attempt may run, in seconds (a Float).
    def timeout
      timeout_ms / 1000.0
    end

    # The task, for the {StepHandler#process} style.
    def task
      Task.new(task_id: task_id, context: task_context)
    end

    # Previous results by step name (every ancestor), for the {StepHandler#process} style.
    def sequence
      previous_results
    end

    # The step, for the {StepHandler#process} style.
    def step
      Step.new(name: step_name, step_id: step_id, handler: handler_name, handler_config: handler_config,
               attempt: attempt, max_attempts: max_attempts, timeout_ms: timeout_ms, inputs: inputs,
               checkpoint: checkpoint)
    end

    def to_s
      "StepContext(step #{step_name} #{step_id}, task #{task_id}, attempt #{attempt}/#{max_attempts})"
    end
    alias inspect to_s
  end
end
