# frozen_string_literal: true

require "concurrent"

module Tasker
  class Worker
    module Internal
      # The state of a worker's session with the orchestrator and its clocks: registered or not,
      # the session's encoding and heartbeat interval, when something was last heard and sent, the
      # HELLO backoff, and the drain's progress. Times are monotonic milliseconds. Written by the
      # socket thread only; other threads may read it for status.
      class Session
        # Heartbeat interval until a WELCOME names one (the protocol's default), milliseconds.
        INITIAL_HEARTBEAT_MS = 1000

        attr_reader :welcomed, :codec, :heartbeat_interval_ms, :orchestrator_id, :last_heard_at, :next_hello_at,
                    :hellos_on_socket
        attr_accessor :goodbye_sent, :goodbye_acknowledged, :drain_deadline

        def initialize(settings)
          @settings = settings
          @registered = Concurrent::Event.new
          @codec = Protocol::JsonCodec.instance
          @heartbeat_interval_ms = INITIAL_HEARTBEAT_MS
          @hello_retry_ms = settings.hello_retry_initial_ms
          @hellos_on_socket = 0
          @welcomed = false
          @goodbye_sent = false
          @goodbye_acknowledged = false
        end

        # Waits up to +timeout+ seconds for the first WELCOME; true once it came.
        def wait_until_registered(timeout)
          @registered.wait(timeout)
        end

        def started(now)
          @last_heard_at = now
          @last_sent_at = now
          @next_hello_at = now
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
          @codec = codec
          @orchestrator_id = welcome["orchestrator_id"]
          @heartbeat_interval_ms = welcome["heartbeat_interval_ms"]
          @hello_retry_ms = @settings.hello_retry_initial_ms
          @hellos_on_socket = 0
          @registered.set
        end

        # The orchestrator is gone or has forgotten us: register again now.
        def lost(now)
          @welcomed = false
          @goodbye_sent = false
          @next_hello_at = now
        end

        def hello_sent(now)
          @hellos_on_socket += 1
          @next_hello_at = now + @hello_retry_ms
          @hello_retry_ms = [@hello_retry_ms * 2, @settings.hello_retry_max_ms].min
        end

        # Milliseconds before a HELLO that the socket could not take is tried again.
        HELLO_UNSENT_RETRY_MS = 20

        def hello_not_sent(now)
          @next_hello_at = now + HELLO_UNSENT_RETRY_MS
        end

        def socket_reopened
          @hellos_on_socket = 0
        end

        # Whether nothing was heard for more than +liveness+ heartbeat intervals.
        def silent?(now, liveness)
          now - @last_heard_at > @heartbeat_interval_ms * liveness
        end

        # Whether nothing was sent for a heartbeat interval.
        def heartbeat_due?(now)
          now - @last_sent_at >= @heartbeat_interval_ms
        end

        # The next moment the socket thread has something to do without being woken.
        def next_deadline(now, max_wait_ms)
          deadline = now + max_wait_ms
          if @welcomed
            deadline = [deadline, @last_sent_at + @heartbeat_interval_ms,
                        @last_heard_at + (@heartbeat_interval_ms * @settings.heartbeat_liveness) + 1].min
          else
            deadline = [deadline, @next_hello_at].min
          end
          @drain_deadline ? [deadline, @drain_deadline].min : deadline
        end
      end
    end
  end
end
