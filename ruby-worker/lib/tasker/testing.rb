# frozen_string_literal: true

require_relative "worker"

module Tasker
  # Runs handlers without sockets, exactly as a worker would: the same mapping of return values,
  # exceptions and outputs to results. For handler unit tests.
  #
  #   result = Tasker::Testing.run_handler(ValidateOrder, task_context: { "order_id" => 1, ... })
  #   expect(result).to be_success
  #   expect(result.output["total"]).to eq(59.97)
  module Testing
    module_function

    # Runs +handler+ (anything {HandlerRegistry#register} accepts, or a registered name) once.
    #
    # @param context_options keyword options of {StepContext#initialize} (task_context:,
    #   previous_results:, handler_config:, attempt:, max_attempts:, step_name:, ...)
    # @return [StepResult::Success, StepResult::RetryableFailure, StepResult::PermanentFailure] an
    #   exception comes back as a RetryableFailure whose +exception+ and +backtrace+ are set; a
    #   Success's output is the JSON value the orchestrator would receive (String keys)
    def run_handler(handler, registry: Tasker::Worker.registry, **context_options)
      invoker = if handler.is_a?(String)
                  registry.fetch(handler)
                else
                  HandlerRegistry.new.register("handler", handler).fetch("handler")
                end
      name = handler.is_a?(String) ? handler : "handler"
      context = StepContext.new(handler_name: name, **context_options)
      Tasker::Worker::Internal::StepRunner.outcome_of(invoker, context)
    end
  end
end
