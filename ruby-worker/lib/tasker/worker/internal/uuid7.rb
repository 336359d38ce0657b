# frozen_string_literal: true

require "securerandom"

module Tasker
  class Worker
    module Internal
      # UUIDv7 strings (RFC 9562): 48 bits of Unix milliseconds, then random bits.
      module Uuid7
        module_function

        # A new UUIDv7 string, e.g. "0192f3a4-5b6c-7d8e-9f01-23456789abcd".
        def generate(now_ms = Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond))
          bytes = [now_ms >> 16, now_ms & 0xffff].pack("Nn") + SecureRandom.random_bytes(10)
          bytes.setbyte(6, (bytes.getbyte(6) & 0x0f) | 0x70)
          bytes.setbyte(8, (bytes.getbyte(8) & 0x3f) | 0x80)
          hex = bytes.unpack1("H*")
          "#{hex[0, 8]}-#{hex[8, 4]}-#{hex[12, 4]}-#{hex[16, 4]}-#{hex[20, 12]}"
        end
      end
    end
  end
end
