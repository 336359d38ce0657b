# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # The results a worker owes its orchestrators, in order: one partial result per step as it
      # ends, numbered per batch, then the batch's completion. Each batch's results travel on a
      # route (a session with one orchestrator), the one the batch came on, until {#move} hands the
      # route's batches to another. Results wait while their route is not registered and go out, in
      # order, once it is. A sent result is kept until an ACK (on any route) lists it; after a route
      # registers again its unacknowledged results go out again, before newer ones. Bodies are kept
      # unencoded, so a new session may use another encoding. Socket thread only.
      class ResultOutbox
        # Most results kept for acknowledgement per route; beyond it the oldest are forgotten.
        MAX_UNACKNOWLEDGED = 200_000

        # A result: +step_id+ is nil for a batch completion.
        Entry = Struct.new(:batch_id, :step_id, :type, :body)
        Route = Struct.new(:queued, :unacknowledged) # unacknowledged: [batch_id, step_id] => Entry, in order

        def initialize(worker_id, clock, logger)
          @worker_id = worker_id
          @clock = clock
          @logger = logger
          @batches = {}
          @route_of_batch = {}
          @routes = {}
          @finished = {} # batch_id => true while its completion is queued or unacknowledged
        end

        # Starts tracking a batch that came on +route+; false when it is still running or its
        # completion is not yet acknowledged (a duplicate delivery).
        def open(batch_id, steps, route = 0)
          return false if @batches.key?(batch_id) || @finished.key?(batch_id)

          @batches[batch_id] = BatchRun.new(batch_id, steps)
          @route_of_batch[batch_id] = route
          true
        end

        # Queues the partial result of +outcome+, and the batch's completion after its last step.
        def report(outcome)
          run = @batches.fetch(outcome.batch_id)
          route = route(@route_of_batch.fetch(outcome.batch_id))
          route.queued << Entry.new(outcome.batch_id, outcome.step_id, "PARTIAL_RESULT", run.report(outcome, @worker_id))
          return unless run.all_reported?

          @batches.delete(outcome.batch_id)
          @route_of_batch.delete(outcome.batch_id)
          @finished[outcome.batch_id] = true
          completion = run.completion(Protocol::Timestamps.format(@clock.call))
          route.queued << Entry.new(outcome.batch_id, nil, "BATCH_COMPLETION", completion)
        end

        # Forgets the results an ACK body lists, whichever route they went on; a completion covers
        # its batch's partial results.
        def acknowledged(ack)
          completed = ack["batch_completions"].to_h { |id| [id, true] }
          @routes.each_value do |r|
            ack["partial_results"].each { |ref| r.unacknowledged.delete([ref["batch_id"], ref["step_id"]]) }
            r.unacknowledged.delete_if { |(batch_id, _), _| completed[batch_id] } unless completed.empty?
          end
          completed.each_key { |id| @finished.delete(id) }
        end

        # Queues every unacknowledged result of +route+ to be sent again, ahead of results not sent yet.
        def resend_unacknowledged(route = 0)
          r = route(route)
          r.queued = r.unacknowledged.values + r.queued
          r.unacknowledged = {}
        end

        # Hands everything of route +from+ to route +to+: its running batches (their later results go
        # on +to+), then its unacknowledged and its unsent results, in their order, after what +to+
        # already has. Another orchestrator applies them as well. Returns whether +from+ had anything.
        def move(from, to)
          return false if from == to

          running = @route_of_batch.select { |_, r| r == from }.keys
          running.each { |batch_id| @route_of_batch[batch_id] = to }
          moved = !running.empty?
          source = @routes.delete(from)
          if source && !(source.queued.empty? && source.unacknowledged.empty?)
            route(to).queued.concat(source.unacknowledged.values, source.queued)
            moved = true
          end
          moved
        end

        # Whether +route+ has running batches, or results unsent or unacknowledged.
        def holds?(route)
          r = @routes[route]
          (r && !(r.queued.empty? && r.unacknowledged.empty?)) || @route_of_batch.value?(route)
        end

        # Batches still running, or with results sent but not acknowledged, or not sent yet.
        def held_batches
          ids = @batches.keys
          @routes.each_value do |r|
            r.unacknowledged.each_key { |(batch_id, _)| ids << batch_id }
            r.queued.each { |entry| ids << entry.batch_id }
          end
          ids.uniq
        end

        # Sends +route+'s queued results in order until the sender refuses one (returns false).
        #
        # @yieldparam entry [Entry]
        # @return [Boolean] whether anything was sent
        def flush(route = 0)
          r = @routes[route] or return false
          sent = false
          while (entry = r.queued.first) && yield(entry)
            r.queued.shift
            remember(r, entry)
            sent = true
          end
          sent
        end

        # Results queued and not yet sent, on every route.
        def pending = @routes.each_value.sum { |r| r.queued.size }

        # Results sent and not yet acknowledged, on every route.
        def unacknowledged = @routes.each_value.sum { |r| r.unacknowledged.size }

        private

        def route(id)
          @routes[id] ||= Route.new([], {})
        end

        def remember(route, entry)
          route.unacknowledged[[entry.batch_id, entry.step_id]] = entry
          return if route.unacknowledged.size <= MAX_UNACKNOWLEDGED

          (oldest_batch, oldest_step), = route.unacknowledged.shift
          @finished.delete(oldest_batch) if oldest_step.nil?
          @logger.warn("#{MAX_UNACKNOWLEDGED} results are unacknowledged; forgetting the oldest (batch #{oldest_batch})")
        end
      end
    end
  end
end
