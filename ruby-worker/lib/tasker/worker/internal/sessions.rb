# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # A worker's sessions, one per orchestrator, oldest first: the endpoints it was given, then the
      # orchestrators WELCOMEs named (discovery). Polls every session's socket with the wake-up
      # signal, shares the credit among the welcomed sessions ({CreditSplit}), finds orchestrators
      # without a session, and spots two sessions that reached one orchestrator by different
      # endpoints. Socket thread only.
      class Sessions
        attr_reader :all

        def initialize(context, settings, wakeup)
          @context = context
          @settings = settings
          @wakeup = wakeup
          @all = []
          @next_id = 1
          @polled = nil
        end

        # Opens a session to +endpoint+; it says HELLO when the loop finds it due.
        def open(endpoint, now)
          connection = DealerConnection.new(@context, endpoint, @settings.worker_id, curve: @settings.curve)
          connection.open
          session = Session.new(@next_id, connection, @settings, now)
          @next_id += 1
          @all << session
          session
        end

        def welcomed = @all.select(&:welcomed)

        # The oldest welcomed session other than +except+, or nil.
        def another_welcomed(except)
          @all.find { |s| !s.equal?(except) && s.welcomed }
        end

        # Another session that reached the orchestrator +session+ was just welcomed by, or nil.
        def same_orchestrator(session)
          @all.find { |s| !s.equal?(session) && s.orchestrator_id == session.orchestrator_id }
        end

        # Opens a session to each orchestrator +welcome+ names that no session has reached and whose
        # endpoints no session connects to; returns the new sessions.
        def discover(welcome, now)
          (welcome["orchestrators"] || []).filter_map do |orchestrator|
            endpoints = orchestrator["endpoints"]
            known = @all.any? { |s| s.orchestrator_id == orchestrator["orchestrator_id"] || endpoints.include?(s.endpoint) }
            next if known || endpoints.empty?

            # One endpoint per orchestrator: a DEALER connected to several would spread messages.
            endpoint = endpoints.find { |e| e.start_with?("tcp://") } || endpoints.first
            @settings.logger.info("worker #{@settings.worker_id} opens a session with orchestrator " \
                                  "#{orchestrator['orchestrator_id']} at #{endpoint}")
            open(endpoint, now)
          end
        end

        # Gives each welcomed session its share of +total+, lowered ones first; yields each session
        # and its new credit for the CREDIT message.
        def rebalance(total)
          sessions = welcomed
          CreditSplit.changes(sessions.map(&:credit), CreditSplit.shares(total, sessions.size)).each do |index, credit|
            sessions[index].credit = credit
            yield sessions[index], credit
          end
        end

        # The next moment a session has something to do, or +latest+, whichever comes first.
        def next_deadline(latest)
          @all.map { |s| s.next_deadline(@settings.heartbeat_liveness) }.push(latest).min
        end

        # Waits up to +timeout_ms+ for a message on any session or a wake-up; returns the sessions
        # with messages and whether the wake-up fired.
        def poll(timeout_ms)
          rebuild if stale?
          @poller.poll(timeout_ms)
          readables = @poller.readables
          [@all.select { |s| readables.include?(s.connection.socket) }, readables.include?(@wakeup)]
        end

        # Closes one session and forgets it.
        def close(session)
          @settings.logger.info("worker #{@settings.worker_id} closes #{session}")
          session.connection.close
          @all.delete(session)
        end

        def close_all
          @all.each { |s| s.connection.close }
          @all.clear
        end

        private

        def stale?
          @polled != @all.map { |s| [s.id, s.connection.generation] }
        end

        def rebuild
          @poller = ZMQ::Poller.new
          @poller.register_readable(@wakeup)
          @all.each { |s| @poller.register_readable(s.connection.socket) }
          @polled = @all.map { |s| [s.id, s.connection.generation] }
        end
      end
    end
  end
end
