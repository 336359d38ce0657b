# frozen_string_literal: true

require "ffi-rzmq"

module Tasker
  class Worker
    # CURVE keys as Tasker stores them (docs/operations.md): 40 characters of Z85 per key, one key
    # per line in a file, blank lines and lines starting with # ignored. A secret key file
    # (NAME.key from `tasker keys generate`) holds the secret key; the public key is derived from
    # it with libzmq's zmq_curve_public. Error messages never contain key text.
    module CurveKeys
      Z85_LENGTH = 40
      # How the first line of a public key file from tasker keys generate starts.
      PUBLIC_HEADER = "# CURVE public key"
      Z85_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"

      # What a CURVE client needs: the server's public key and its own key pair (Z85 Strings).
      # #inspect and #to_s never show the secret key.
      ClientKeys = Struct.new(:server_key, :public_key, :secret_key, keyword_init: true) do
        def inspect
          "#<Tasker::Worker::CurveKeys::ClientKeys server_key=#{server_key} public_key=#{public_key} secret_key=(not shown)>"
        end
        alias_method :to_s, :inspect
      end

      module_function

      # @raise [Tasker::ConfigurationError] naming +what+ and what is wrong, without the key
      def check(what, key)
        raise ConfigurationError, "#{what} is missing" if key.nil? || key.empty?
        unless key.length == Z85_LENGTH
          raise ConfigurationError, "#{what} must be #{Z85_LENGTH} characters of Z85 but has #{key.length}"
        end

        bad = key.each_char.find_index { |c| !Z85_ALPHABET.include?(c) }
        raise ConfigurationError, "#{what} has a character that is not Z85 at position #{bad + 1}" if bad

        key
      end

      # The public key of a Z85 secret key.
      def public_key_of(secret_key)
        check("secret key", secret_key)
        attach_curve_public
        buffer = FFI::MemoryPointer.new(:char, Z85_LENGTH + 1)
        unless LibZMQ.zmq_curve_public(buffer, secret_key).zero?
          raise Tasker::Error, "zmq_curve_public failed: #{ZMQ::Util.error_string} (does libzmq have CURVE?)"
        end

        buffer.read_string
      end

      # The keys of a file, one per line (# comments and blank lines skipped).
      #
      # @raise [Tasker::ConfigurationError] naming the file, the line and what is wrong
      def read_key_lines(path)
        keys_of(path, read_lines(path))
      end

      # [public_key, secret_key] of a secret key file.
      def read_secret_key_file(path)
        lines = read_lines(path)
        # A public key is 40 characters of Z85 too: the header tasker keys generate writes tells them apart.
        if lines.any? { |line| line.strip.start_with?(PUBLIC_HEADER) }
          raise ConfigurationError, "#{path} holds a public key (its first line says '#{PUBLIC_HEADER}'); " \
                                    "give the secret key file (NAME.key) here"
        end
        keys = keys_of(path, lines)
        raise ConfigurationError, "#{path} must hold one secret key but holds #{keys.size}" unless keys.size == 1

        [public_key_of(keys.first), keys.first]
      end

      def read_lines(path)
        raise ConfigurationError, "#{path} cannot be read (no such file)" unless File.exist?(path)

        File.readlines(path, chomp: true)
      rescue SystemCallError => e
        raise ConfigurationError, "#{path} cannot be read (#{e.class.name.split('::').last})"
      end

      def keys_of(path, lines)
        lines.each_with_index.filter_map do |line, index|
          text = line.strip
          next if text.empty? || text.start_with?("#")

          begin
            check("the key", text)
          rescue ConfigurationError => e
            raise ConfigurationError, "#{path} line #{index + 1}: #{e.message}"
          end
        end
      end

      def attach_curve_public
        return if LibZMQ.respond_to?(:zmq_curve_public)

        # libzmq has had it since 4.2; ffi-rzmq does not bind it.
        LibZMQ.attach_function(:zmq_curve_public, %i[pointer string], :int)
      end
    end
  end
end
