# frozen_string_literal: true

require "ffi-rzmq"

module Tasker
  class Worker
    module Internal
      # A worker's DEALER socket to one orchestrator endpoint. It can be replaced by a fresh socket
      # (and TCP connection) at any time; #generation tells the loop's poller when it was. Socket
      # thread only.
      class DealerConnection
        HIGH_WATER_MARK = 100_000
        RECONNECT_IVL_MS = 100
        RECONNECT_IVL_MAX_MS = 5000

        # @return [String] the endpoint it connects to
        attr_reader :endpoint
        # @return [ZMQ::Socket, nil] the current socket, for the loop's poller
        attr_reader :socket
        # @return [Integer] sockets opened so far: a poller watching an older one must be rebuilt
        attr_reader :generation

        # @param curve [CurveKeys::ClientKeys, nil] CURVE keys to connect with
        def initialize(context, endpoint, worker_id, curve: nil)
          @context = context
          @curve = curve
          @endpoint = endpoint
          @generation = 0
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
          @generation += 1
        end

        # Replaces the socket with a new one.
        def reopen
          close
          open
        end

        # The next whole message as an Array of binary Strings, or nil when none is waiting.
        def receive
          return nil unless @socket

          frames = []
          ZMQ::Util.resultcode_ok?(@socket.recv_strings(frames, ZMQ::DONTWAIT)) ? frames : nil
        end

        # Sends without blocking; false when the socket cannot take the message now.
        def send_frames(frames)
          @socket && ZMQ::Util.resultcode_ok?(@socket.send_strings(frames, ZMQ::DONTWAIT))
        end

        def close
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
