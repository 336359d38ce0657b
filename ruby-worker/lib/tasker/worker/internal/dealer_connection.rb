# frozen_string_literal: true

require "ffi-rzmq"

module Tasker
  class Worker
    module Internal
      # The worker's DEALER socket and the poller that watches it with the wake-up signal. It can
      # be replaced by a fresh socket (and TCP connection) at any time. Socket thread only.
      class DealerConnection
        HIGH_WATER_MARK = 100_000
        RECONNECT_IVL_MS = 100
        RECONNECT_IVL_MAX_MS = 5000

        # @param curve [CurveKeys::ClientKeys, nil] CURVE keys to connect with
        def initialize(context, endpoint, worker_id, wakeup, curve: nil)
          @context = context
          @curve = curve
          @endpoint = endpoint
          @wakeup = wakeup
          id = worker_id.b
          # ZeroMQ allows identities of 1 to 255 bytes and reserves those starting with a zero byte.
          @identity = id.bytesize.between?(1, 255) && id.getbyte(0) != 0 ? id : nil
        end

        # Opens a socket and connects it.
        #
        # @raise [Tasker::ConfigurationError] when the endpoint is not a valid ZeroMQ endpoint
        def open
          @socket = @context.socket(ZMQ::DEALER)
          raise Tasker::Error, "cannot create a DEALER socket: #{ZMQ::Util.error_string}" unless @socket

          set(ZMQ::IDENTITY, @identity) if @identity
          # Nothing is queued for a connection that is not up: HELLO is sent again instead, and
          # results wait in the outbox until the orchestrator has welcomed this worker.
          set(ZMQ::IMMEDIATE, 1)
          set(ZMQ::LINGER, 0)
          set(ZMQ::SNDHWM, HIGH_WATER_MARK)
          set(ZMQ::RCVHWM, HIGH_WATER_MARK)
          set(ZMQ::RECONNECT_IVL, RECONNECT_IVL_MS)
          set(ZMQ::RECONNECT_IVL_MAX, RECONNECT_IVL_MAX_MS)
          if @curve
            set(ZMQ::CURVE_SERVERKEY, @curve.server_key)
            set(ZMQ::CURVE_PUBLICKEY, @curve.public_key)
            set(ZMQ::CURVE_SECRETKEY, @curve.secret_key)
          end
          unless ZMQ::Util.resultcode_ok?(@socket.connect(@endpoint))
            error = ZMQ::Util.error_string
            close
            raise ConfigurationError, "cannot connect to endpoint '#{@endpoint}': #{error}"
          end
          @poller = ZMQ::Poller.new
          @poller.register_readable(@socket)
          @poller.register_readable(@wakeup)
        end

        # Replaces the socket with a new one.
        def reopen
          close
          open
        end

        # Waits up to +timeout_ms+ for a message or a wake-up.
        def poll(timeout_ms)
          @poller.poll(timeout_ms)
        end

        # Whether the last poll saw a wake-up.
        def woken?
          @poller.readables.include?(@wakeup)
        end

        # The next whole message as an Array of binary Strings, or nil when none is waiting.
        def receive
          frames = []
          ZMQ::Util.resultcode_ok?(@socket.recv_strings(frames, ZMQ::DONTWAIT)) ? frames : nil
        end

        # Sends without blocking; false when the socket cannot take the message now.
        def send_frames(frames)
          ZMQ::Util.resultcode_ok?(@socket.send_strings(frames, ZMQ::DONTWAIT))
        end

        def close
          @poller = nil
          @socket&.close
          @socket = nil
        end

        private

        def set(option, value)
          return if ZMQ::Util.resultcode_ok?(@socket.setsockopt(option, value))

          raise Tasker::Error, "cannot set socket option #{option}: #{ZMQ::Util.error_string}"
        end
      end
    end
  end
end
