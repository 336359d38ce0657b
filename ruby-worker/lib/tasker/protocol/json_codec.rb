# frozen_string_literal: true

require "json"

module Tasker
  module Protocol
    # The JSON encoding: a body is one UTF-8 JSON object. Decoding checks the syntax only; field
    # checks are {MessageChecks}. Stateless and thread-safe.
    class JsonCodec
      NAME = "json"

      # The shared instance.
      def self.instance
        @instance ||= new
      end

      def name = NAME

      # @param type [String] the message type (unused: JSON bodies carry their field names)
      # @param body [Hash] the message in its JSON shape
      # @return [String] binary JSON text
      def encode(_type, body)
        JSON.generate(body).b
      end

      # @return [Hash] the message in its JSON shape
      # @raise [MalformedBody] when the bytes are not one UTF-8 JSON object
      def decode(type, bytes)
        value = self.class.parse_value(bytes, type, nil)
        raise MalformedBody.new("#{type}: the body must be a JSON object", message_type: type) unless value.is_a?(Hash)

        value
      end

      # Parses one JSON value (a body, or a *_json field of the protobuf encoding).
      #
      # @param field [String, nil] the field holding the text, for the error message
      # @raise [MalformedBody]
      def self.parse_value(bytes, type, field)
        where = field ? "#{type} at #{field}" : type
        text = bytes.dup.force_encoding(Encoding::UTF_8)
        raise MalformedBody.new("#{where}: not valid UTF-8", message_type: type) unless text.valid_encoding?
        raise MalformedBody.new("#{where}: empty JSON text", message_type: type) if text.strip.empty?

        JSON.parse(text, max_nesting: MAX_JSON_NESTING, allow_nan: false, create_additions: false)
      rescue JSON::ParserError => e
        # JSON::NestingError is a ParserError.
        raise MalformedBody.new("#{where}: not valid JSON: #{e.message.lines.first.to_s.strip[0, 200]}",
                                message_type: type)
      end
    end
  end
end
