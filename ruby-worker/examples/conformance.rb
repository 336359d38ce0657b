# frozen_string_literal: true

# The handlers every worker must serve under the conformance kit (`tasker conformance`), exactly as
# the Java ones (worker-examples/.../conformance/ConformanceHandlers.java):
#
#   ruby ruby-worker/bin/tasker-worker --require ruby-worker/examples/conformance.rb
require "tasker/worker"

module Conformance
  # task_context[field] when it is a string, else +fallback+.
  def self.text(context, field, fallback)
    value = context.task_context[field]
    value.is_a?(String) ? value : fallback
  end

  # conformance.echo: what the step received.
  Tasker::Worker.register("conformance.echo") do |context|
    Tasker::StepResult.success(
      "task_context" => context.task_context,
      "handler_config" => context.handler_config,
      "previous_results" => context.previous_results,
      "step_name" => context.step_name,
      "attempt" => context.attempt
    )
  end

  # conformance.sleep: sleeps task_context.sleep_ms milliseconds, reports when it began and ended.
  Tasker::Worker.register("conformance.sleep") do |context|
    started = Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    sleep_ms = context.task_context["sleep_ms"]
    sleep(sleep_ms / 1000.0) if sleep_ms.is_a?(Integer) && sleep_ms.positive?
    Tasker::StepResult.success(
      "started_at_ms" => started,
      "finished_at_ms" => Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    )
  end

  # conformance.retryable: a retryable failure, with task_context.retry_after_ms when given.
  Tasker::Worker.register("conformance.retryable") do |context|
    retry_after = context.task_context["retry_after_ms"]
    Tasker::StepResult.retryable_failure(
      text(context, "message", "retryable failure"),
      error_type: "conformance_retryable",
      retry_after_ms: retry_after.is_a?(Integer) && retry_after >= 0 ? retry_after : nil
    )
  end

  # conformance.permanent: a permanent failure.
  Tasker::Worker.register("conformance.permanent") do |context|
    Tasker::StepResult.permanent_failure(text(context, "message", "permanent failure"),
                                         error_type: "conformance_permanent")
  end

  # conformance.raise: raises; the worker reports a retryable failure of type RuntimeError.
  Tasker::Worker.register("conformance.raise") do |context|
    raise text(context, "message", "raised")
  end
end
