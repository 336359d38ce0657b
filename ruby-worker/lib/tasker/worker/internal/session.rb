# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # A worker's session with one orchestrator: its DEALER connection, whether and by which
      # orchestrator it is welcomed, the session's encoding and heartbeat interval, its clocks (when
      # something was last heard and sent, when to say HELLO next, with backoff), the credit this
      # orchestrator was last given, and its part of a drain. Times are monotonic milliseconds.
      # Socket thread only.
      class Session
        # Heartbeat interval until a WELCOME names one (the protocol's default), milliseconds.
        INITIAL_HEARTBEAT_MS = 1000
        # Milliseconds before a HELLO that the socket could not take is tried again.
        HELLO_UNSENT_RETRY_MS = 20

        # @return [Integer] the session's number, in order of creation; also its results' route
        attr_reader :id
        attr_reader :connection, :welcomed, :codec, :heartbeat_interval_ms, :orchestrator_id, :last_heard_at,
                    :next_hello_at, :hellos_on_socket
        # @return [Integer] the credit this orchestrator was last given (HELLO or CREDIT)
        attr_accessor :credit
        attr_accessor :goodbye_sent, :goodbye_acknowledged

        def initialize(id, connection, settings, now)
          @id = id
          @connection = connection
          @settings = settings
          @codec = Protocol::JsonCodec.instance
          @heartbeat_interval_ms = INITIAL_HEARTBEAT_MS
          @hello_retry_ms = settings.hello_retry_initial_ms
          @hellos_on_socket = 0
          @welcomed = false
          @hello_again = false
          @goodbye_sent = false
          @goodbye_acknowledged = false
          @credit = 0
          @last_heard_at = now
          @last_sent_at = now
          @next_hello_at = now
          @waiting_since = now
          @welcome_overdue_told = false
        end

        def endpoint = @connection.endpoint

        # Whether this session has waited +after_ms+ for a WELCOME since it began or was lost, the
        # first time it is asked so; once per wait.
        def welcome_overdue?(now, after_ms)
          return false if @welcomed || @welcome_overdue_told || now - @waiting_since < after_ms

          @welcome_overdue_told = true
        end

        def heard(now)
          @last_heard_at = now
        end

        def sent(now)
          @last_sent_at = now
        end

        # A WELCOME came: the session is established with +codec+.
        def welcome(welcome, codec)
          @welcomed = true
          @welcome_overdue_told = false
          @codec = codec
          @orchestrator_id = welcome["orchestrator_id"]
          @heartbeat_interval_ms = welcome["heartbeat_interval_ms"]
          @hello_retry_ms = @settings.hello_retry_initial_ms
          @hellos_on_socket = 0
        end

        # Marks a HELLO sent while the session stays welcomed (to tell the orchestrator every batch
        # held).
        def hello_again!
          @hello_again = true
        end

        # Whether a WELCOME answers such a HELLO: the session goes on and nothing is sent again.
        def answers_hello_again?
          again = @welcomed && @hello_again
          @hello_again = false
          again
        end

        # The orchestrator is gone or has forgotten us: register again now.
        def lost(now)
          @waiting_since = now if @welcomed
          @welcomed = false
          @hello_again = false
          @goodbye_sent = false
          @goodbye_acknowledged = false
          @credit = 0
          @next_hello_at = now
        end

        def hello_sent(now)
          @hellos_on_socket += 1
          @next_hello_at = now + @hello_retry_ms
          @hello_retry_ms = [@hello_retry_ms * 2, @settings.hello_retry_max_ms].min
        end

        def hello_not_sent(now)
          @next_hello_at = now + HELLO_UNSENT_RETRY_MS
        end

        def socket_reopened
          @hellos_on_socket = 0
        end

        def hello_due?(now) = !@welcomed && now >= @next_hello_at

        # Whether nothing was heard for more than +liveness+ heartbeat intervals.
        def silent?(now, liveness)
          @welcomed && now - @last_heard_at > @heartbeat_interval_ms * liveness
        end

        # Whether nothing was sent for a heartbeat interval.
        def heartbeat_due?(now)
          @welcomed && now - @last_sent_at >= @heartbeat_interval_ms
        end

        # The next moment this session has something to do without being woken.
        def next_deadline(liveness)
          return @next_hello_at unless @welcomed

          [@last_sent_at + @heartbeat_interval_ms, @last_heard_at + (@heartbeat_interval_ms * liveness) + 1].min
        end

        def to_s
          "session #{@id} (#{endpoint}#{@orchestrator_id ? ", orchestrator #{@orchestrator_id}" : ''})"
        end
      end
    end
  end
end
