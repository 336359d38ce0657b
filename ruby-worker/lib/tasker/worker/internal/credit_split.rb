# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # How a worker's credit is shared among the orchestrators that have welcomed it: each gets
      # total / n, the first also the remainder, so the shares add up to the total (a share may be 0,
      # which pauses dispatch from that orchestrator). When shares change, the CREDIT messages go out
      # lowering ones first, so the credit granted to all orchestrators together never grows past the
      # total on the worker's side. Stateless.
      module CreditSplit
        module_function

        # The shares of +sessions+ sessions, first session first.
        def shares(total, sessions)
          raise ArgumentError, "total and sessions must be >= 0, got #{total}, #{sessions}" if total.negative? || sessions.negative?

          Array.new(sessions) { |i| (total / sessions) + (i.zero? ? total % sessions : 0) }
        end

        # The credit a session announces in HELLO before it is welcomed: its share were every
        # session welcomed, at least 1 (HELLO's concurrency is at least 1; a 0 share is announced
        # with CREDIT right after the WELCOME).
        def hello_share(total, sessions)
          [total / [sessions, 1].max, 1].max
        end

        # The CREDIT messages that take sessions from +current+ to +target+ credit, as [index,
        # credit] pairs: lowered ones first, then raised ones; unchanged ones get none.
        def changes(current, target)
          raise ArgumentError, "current and target differ in size: #{current}, #{target}" if current.size != target.size

          changed = current.each_index.filter_map { |i| [i, target[i]] if target[i] != current[i] }
          lower, raise_ = changed.partition { |i, credit| credit < current[i] }
          lower + raise_
        end
      end
    end
  end
end
