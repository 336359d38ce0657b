# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # A batch being executed: numbers its partial results 1, 2, 3, ... in sending order and builds
      # the completion once every step has been reported. A step that yielded a checkpoint counts in
      # none of the completion's counts (it has no outcome). Socket thread only.
      class BatchRun
        attr_reader :batch_id, :total_steps

        def initialize(batch_id, total_steps)
          @batch_id = batch_id
          @total_steps = total_steps
          @summaries = []
          @next_sequence = 1
          @counts = Hash.new(0)
        end

        # The PARTIAL_RESULT body reporting +outcome+.
        def report(outcome, worker_id)
          @summaries << summary(outcome)
          @counts[outcome.status] += 1
          body = { "batch_id" => batch_id, "step_id" => outcome.step_id, "attempt" => outcome.attempt,
                   "status" => outcome.status }
          result_fields(body, outcome)
          body.merge!("worker_id" => worker_id, "sequence" => @next_sequence, "timestamp" => outcome.finished_at,
                      "execution_time_ms" => outcome.execution_time_ms)
          @next_sequence += 1
          body
        end

        def all_reported?
          @summaries.size == total_steps
        end

        # The BATCH_COMPLETION body, +completed_at+ an RFC 3339 string.
        def completion(completed_at)
          { "batch_id" => batch_id, "total_steps" => total_steps, "completed_steps" => @counts["completed"],
            "failed_steps" => @counts["failed"], "in_progress_steps" => total_steps - @summaries.size,
            "step_summaries" => @summaries, "completed_at" => completed_at }
        end

        private

        def summary(outcome)
          summary = { "step_id" => outcome.step_id, "attempt" => outcome.attempt, "status" => outcome.status }
          result_fields(summary, outcome)
          summary["execution_time_ms"] = outcome.execution_time_ms
          summary
        end

        def result_fields(body, outcome)
          body["output"] = outcome.output if outcome.output_present
          body["error"] = outcome.error if outcome.error
          body["checkpoint"] = outcome.checkpoint if outcome.checkpoint
        end
      end
    end
  end
end
