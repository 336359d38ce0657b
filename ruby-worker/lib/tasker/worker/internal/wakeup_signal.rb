# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # Wakes the socket thread out of its poll. Other threads (handler threads, signal handlers)
      # queue their work first, then call {#wake}; the socket thread polls {#posix_fileno} with its
      # socket and calls {#clear} before draining the queues.
      #
      # A pipe rather than an inproc PAIR socket: writing to a pipe is safe from any thread and from
      # a trap handler, while a ZeroMQ socket may only be used by the thread that owns it.
      class WakeupSignal
        def initialize
          @reader, @writer = IO.pipe
        end

        # The descriptor to poll for readability (the name ffi-rzmq's poller looks for).
        def posix_fileno
          @reader.fileno
        end

        # Makes the owner's poll return soon. Any thread, and trap handlers: no locks.
        def wake
          @writer.write_nonblock("!", exception: false)
        rescue IOError
          nil # closed while stopping: nobody is left to wake
        end

        # Consumes pending wake-ups. Owner thread only.
        def clear
          loop do
            chunk = @reader.read_nonblock(4096, exception: false)
            break if chunk == :wait_readable || chunk.nil?
          end
        end

        def close
          @writer.close unless @writer.closed?
          @reader.close unless @reader.closed?
        end
      end
    end
  end
end
