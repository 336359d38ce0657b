# frozen_string_literal: true

module Tasker
  module Protocol
    # Multipart framing: every message is three frames, version ("tasker/1"), type (e.g.
    # "PARTIAL_RESULT") and body. Stateless.
    module Frames
      FRAME_COUNT = 3
      MAX_HEADER_BYTES = 64
      PRINTABLE = /\A[\x21-\x7e]+\z/n.freeze

      module_function

      # The frames of a message of +type+ with the encoded +body+.
      def encode(type, body)
        [VERSION_FRAME.b, type.b, body.b]
      end

      # Checks the frames of a received message without decoding its body.
      #
      # @return [Array(String, String)] the message type and the body
      # @raise [RefusedMessage] malformed_frames, unsupported_version, unknown_message_type or
      #   message_too_large
      def parse(frames, max_body_bytes: MAX_BODY_BYTES)
        unless frames.size == FRAME_COUNT
          raise RefusedMessage.new("malformed_frames",
                                   "expected #{FRAME_COUNT} frames (version, type, body) but got #{frames.size}")
        end

        version = header(frames[0], "version")
        unless version.start_with?("tasker/") && SUPPORTED_VERSIONS.include?(version.delete_prefix("tasker/"))
          raise RefusedMessage.new("unsupported_version",
                                   "unsupported protocol version frame '#{version}'; supported: #{VERSION_FRAME}",
                                   supported_versions: SUPPORTED_VERSIONS.dup)
        end
        type = header(frames[1], "message-type")
        unless MESSAGE_TYPES.include?(type)
          raise RefusedMessage.new("unknown_message_type", "unknown message type '#{type}'", message_type: type)
        end
        body = frames[2]
        if body.bytesize > max_body_bytes
          raise RefusedMessage.new("message_too_large",
                                   "#{type} body of #{body.bytesize} bytes exceeds the limit of #{max_body_bytes}",
                                   message_type: type)
        end
        [type, body]
      end

      def header(frame, name)
        frame = frame.b
        unless frame.bytesize.between?(1, MAX_HEADER_BYTES)
          raise RefusedMessage.new("malformed_frames",
                                   "the #{name} frame must hold 1 to #{MAX_HEADER_BYTES} bytes but held #{frame.bytesize}")
        end
        raise RefusedMessage.new("malformed_frames", "the #{name} frame must be printable ASCII") unless PRINTABLE.match?(frame)

        frame.force_encoding(Encoding::US_ASCII)
      end
    end
  end
end
