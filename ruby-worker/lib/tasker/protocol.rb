# frozen_string_literal: true

require_relative "errors"

module Tasker
  # The wire protocol, version 1 (docs/protocol.md): framing, the two body encodings (codecs) and
  # the checks on messages a worker receives. Message bodies are Hashes in their JSON shape (string
  # keys, exactly as docs/protocol.md names them) whatever the encoding on the wire.
  module Protocol
    # The protocol version this gem speaks.
    VERSION = "1"
    # Versions offered in HELLO.protocol_versions, most preferred first.
    SUPPORTED_VERSIONS = [VERSION].freeze
    # Frame 0 of every message.
    VERSION_FRAME = "tasker/#{VERSION}"
    # Largest body accepted, in bytes (16 MiB, as the orchestrator's default).
    MAX_BODY_BYTES = 16 * 1024 * 1024
    # Deepest nesting of JSON objects and arrays accepted (as the Java codec).
    MAX_JSON_NESTING = 256

    # Message types whose body is always JSON, whatever the session's encoding.
    ALWAYS_JSON = %w[HELLO WELCOME REJECT ERROR].freeze
    # Message types an orchestrator sends to a worker.
    TO_WORKER = %w[WELCOME REJECT HEARTBEAT GOODBYE STEP_BATCH ACK ERROR].freeze
    # Message types a worker sends to an orchestrator.
    TO_ORCHESTRATOR = %w[HELLO HEARTBEAT CREDIT GOODBYE PARTIAL_RESULT BATCH_COMPLETION ERROR].freeze
    # Every message type of version 1.
    MESSAGE_TYPES = (TO_WORKER | TO_ORCHESTRATOR).sort.freeze

    # A received message that must be refused; it maps to an ERROR body with {#code}.
    class RefusedMessage < Tasker::Error
      # @return [String] the ERROR code, e.g. "malformed_body"
      attr_reader :code
      # @return [String, nil] the type of the refused message, when readable
      attr_reader :message_type
      # @return [Array<String>, nil] with unsupported_version: the versions this side speaks
      attr_reader :supported_versions

      def initialize(code, message, message_type: nil, supported_versions: nil)
        super(message)
        @code = code
        @message_type = message_type
        @supported_versions = supported_versions
      end

      # The ERROR body that answers the refused message.
      def to_error_body
        body = { "code" => code, "message" => message }
        body["message_type"] = message_type if message_type
        body["supported_versions"] = supported_versions if supported_versions
        body
      end
    end

    # A body that cannot be decoded or whose fields are missing, mistyped or out of range.
    class MalformedBody < RefusedMessage
      def initialize(message, message_type: nil)
        super("malformed_body", message, message_type: message_type)
      end
    end

    # The codec for encoding name +name+ ("json" or "protobuf").
    #
    # @raise [Tasker::ConfigurationError] when the name is unknown or its runtime is missing
    def self.codec(name)
      case name
      when JsonCodec::NAME then JsonCodec.instance
      when ProtobufCodec::NAME
        raise ConfigurationError, "the protobuf encoding needs the google-protobuf gem" unless ProtobufCodec.available?

        ProtobufCodec.instance
      else
        raise ConfigurationError, "unknown encoding '#{name}'; known: json, protobuf"
      end
    end

    # Encodings this process can speak, most preferred first.
    def self.available_encodings
      ProtobufCodec.available? ? [JsonCodec::NAME, ProtobufCodec::NAME] : [JsonCodec::NAME]
    end
  end
end

require_relative "protocol/timestamps"
require_relative "protocol/frames"
require_relative "protocol/json_codec"
require_relative "protocol/protobuf_codec"
require_relative "protocol/message_checks"
