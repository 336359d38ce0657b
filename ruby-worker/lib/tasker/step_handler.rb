# frozen_string_literal: true

module Tasker
  # Base class for a step handler: the business logic of one kind of step.
  #
  # Override exactly one of:
  #
  # * {#call}(context) -- the simple style: one {StepContext} with everything;
  # * {#process}(task, sequence, step) -- the design document's style: the task (+context+,
  #   +task_id+), the previous results by step name (every ancestor) and the step (+name+,
  #   +step_id+, +handler_config+, +attempt+, +max_attempts+, +timeout+).
  #
  # The worker always calls {#call}; the default {#call} hands the context to {#process} in its
  # three parts. Return a {StepResult} or a plain value (the output of a success); raise to report
  # a retryable failure (see {StepResult}). Decision, batchable and batch worker steps return the
  # results of {#decision}, {#no_branches}, {#batches}, {#no_batches} or {#checkpoint_yield}.
  #
  # A registered class gets a new instance for every step attempt, so instance variables are
  # private to one attempt. Execution is at-least-once: make side effects idempotent, for example
  # keyed by the step id.
  #
  #   class ChargeCard < Tasker::StepHandler
  #     handles "billing.charge_card"
  #
  #     def call(context)
  #       charge = Gateway.charge(context.task_context["token"], idempotency_key: context.step_id)
  #       success(charge_id: charge.id)
  #     end
  #   end
  class StepHandler
    class << self
      # Registers this class under each of +names+ in the default registry
      # ({Tasker::Worker.registry}).
      def handles(*names)
        names.each { |name| Tasker::Worker.register(name, self) }
      end
    end

    # Runs one attempt. The default hands the work to {#process}.
    #
    # @param context [StepContext]
    # @return [StepResult, Object] a result, or the output of a success
    def call(context)
      process(context.task, context.sequence, context.step)
    end

    # Runs one attempt, in the design document's style. Override this or {#call}.
    #
    # @param task [Task] +task_id+ and +context+ (the task's input)
    # @param sequence [Hash{String=>Object}] previous results by step name, every ancestor
    # @param step [Step] name, step_id, handler_config, attempt, max_attempts, timeout (seconds),
    #   inputs, cursor, checkpoint
    # @return [StepResult, Object]
    def process(task, sequence, step)
      raise NotImplementedError, "#{self.class} must override call(context) or process(task, sequence, step)"
    end

    private

    # Shortcut for {StepResult.success}.
    def success(output = {})
      StepResult.success(output)
    end

    # Shortcut for {StepResult.retryable_failure}.
    def retryable_failure(message, **options)
      StepResult.retryable_failure(message, **options)
    end

    # Shortcut for {StepResult.permanent_failure}.
    def permanent_failure(message, **options)
      StepResult.permanent_failure(message, **options)
    end

    # Shortcut for {StepResult.decision}.
    def decision(step_names, output = {})
      StepResult.decision(step_names, output)
    end

    # Shortcut for {StepResult.no_branches}.
    def no_branches(output = {})
      StepResult.no_branches(output)
    end

    # Shortcut for {StepResult.batches}.
    def batches(**options)
      StepResult.batches(**options)
    end

    # Shortcut for {StepResult.no_batches}.
    def no_batches(output = {})
      StepResult.no_batches(output)
    end

    # Shortcut for {StepResult.checkpoint_yield}.
    def checkpoint_yield(**options)
      StepResult.checkpoint_yield(**options)
    end
  end
end
