# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # The results a worker owes the orchestrator, in order: one partial result per step as it
      # ends, numbered per batch, then the batch's completion. Results wait here while the worker is
      # not registered and go out, in order, once it is. A sent result is kept until an ACK lists it;
      # after the worker registers again every unacknowledged result goes out again, before newer
      # ones. Bodies are kept unencoded, so a new session may use another encoding. Socket thread
      # only.
      class ResultOutbox
        # Most results kept for acknowledgement; beyond it the oldest are forgotten, with a warning.
        MAX_UNACKNOWLEDGED = 200_000

        # A result: +step_id+ is nil for a batch completion.
        Entry = Struct.new(:batch_id, :step_id, :type, :body)

        def initialize(worker_id, clock, logger)
          @worker_id = worker_id
          @clock = clock
          @logger = logger
          @batches = {}
          @queued = []
          @unacknowledged = {} # [batch_id, step_id] => Entry, in sending order
          @finished = {} # batch_id => true while its completion is queued or unacknowledged
        end

        # Starts tracking a batch; false when it is still running or its completion is not yet
        # acknowledged (a duplicate delivery).
        def open(batch_id, steps)
          return false if holds?(batch_id)

          @batches[batch_id] = BatchRun.new(batch_id, steps)
          true
        end

        # Queues the partial result of +outcome+, and the batch's completion after its last step.
        def report(outcome)
          run = @batches.fetch(outcome.batch_id)
          @queued << Entry.new(outcome.batch_id, outcome.step_id, "PARTIAL_RESULT", run.report(outcome, @worker_id))
          return unless run.all_reported?

          @batches.delete(outcome.batch_id)
          @finished[outcome.batch_id] = true
          completion = run.completion(Protocol::Timestamps.format(@clock.call))
          @queued << Entry.new(outcome.batch_id, nil, "BATCH_COMPLETION", completion)
        end

        # Forgets the results an ACK body lists; a completion covers its batch's partial results.
        def acknowledged(ack)
          ack["partial_results"].each { |ref| @unacknowledged.delete([ref["batch_id"], ref["step_id"]]) }
          completed = ack["batch_completions"]
          return if completed.empty?

          ids = completed.to_h { |id| [id, true] }
          @unacknowledged.delete_if { |(batch_id, _), _| ids[batch_id] }
          completed.each { |id| @finished.delete(id) }
        end

        # Queues every unacknowledged result to be sent again, ahead of results not sent yet.
        def resend_unacknowledged
          @queued = @unacknowledged.values + @queued
          @unacknowledged = {}
        end

        # Batches still running, or with results sent but not acknowledged, or not sent yet.
        def held_batches
          ids = @batches.keys
          @unacknowledged.each_key { |(batch_id, _)| ids << batch_id }
          @queued.each { |entry| ids << entry.batch_id }
          ids.uniq
        end

        # Sends queued results in order until the sender refuses one (returns false).
        #
        # @yieldparam entry [Entry]
        # @return [Boolean] whether anything was sent
        def flush
          sent = false
          while (entry = @queued.first) && yield(entry)
            @queued.shift
            remember(entry)
            sent = true
          end
          sent
        end

        # Results queued and not yet sent.
        def pending = @queued.size

        # Results sent and not yet acknowledged.
        def unacknowledged = @unacknowledged.size

        private

        def holds?(batch_id)
          @batches.key?(batch_id) || @finished.key?(batch_id)
        end

        def remember(entry)
          @unacknowledged[[entry.batch_id, entry.step_id]] = entry
          return if @unacknowledged.size <= MAX_UNACKNOWLEDGED

          (oldest_batch, oldest_step), = @unacknowledged.shift
          @finished.delete(oldest_batch) if oldest_step.nil?
          @logger.warn("#{MAX_UNACKNOWLEDGED} results are unacknowledged; forgetting the oldest (batch #{oldest_batch})")
        end
      end
    end
  end
end
