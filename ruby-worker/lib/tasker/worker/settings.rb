# frozen_string_literal: true

require "logger"

module Tasker
  class Worker
    # A worker's configuration. Immutable; every value is checked when it is built and a bad one
    # raises {Tasker::ConfigurationError} naming the setting and the constraint.
    class Settings
      DEFAULT_ENDPOINT = "tcp://127.0.0.1:5555"
      DEFAULT_CONCURRENCY = 8
      DEFAULT_DRAIN_TIMEOUT_SECONDS = 30
      # Intervals of silence after which the orchestrator is presumed lost (docs/protocol.md).
      DEFAULT_HEARTBEAT_LIVENESS = 3
      # HELLO is re-sent after 200 ms, doubling up to 5 s, until a WELCOME comes (as the Java SDK).
      DEFAULT_HELLO_RETRY_INITIAL_MS = 200
      DEFAULT_HELLO_RETRY_MAX_MS = 5000

      # @return [Array<String>] the orchestrators' ZeroMQ endpoints, e.g. ["tcp://127.0.0.1:5555"]: one
      #   session each
      attr_reader :endpoints
      # @return [Boolean] whether to open a session with every live orchestrator a WELCOME names too
      attr_reader :discover
      # @return [HandlerRegistry] the handlers served
      attr_reader :registry
      # @return [Integer] most handlers running at once, and the credit offered in HELLO
      attr_reader :concurrency
      # @return [String] the worker's id, the same on every reconnect
      attr_reader :worker_id
      # @return [Array<String>] body encodings offered in HELLO, most preferred first
      attr_reader :encodings
      # @return [Float] seconds a drain may take before the worker gives up
      attr_reader :drain_timeout
      # @return [Logger]
      attr_reader :logger
      # @return [Integer] heartbeat intervals of silence before registering again
      attr_reader :heartbeat_liveness
      # @return [Integer] milliseconds before the first HELLO is re-sent
      attr_reader :hello_retry_initial_ms
      # @return [Integer] longest wait between HELLOs, milliseconds
      attr_reader :hello_retry_max_ms
      # @return [Integer] largest message body accepted, bytes
      attr_reader :max_body_bytes
      # @return [#call] returns the current Time (inject one in tests)
      attr_reader :clock
      # @return [CurveKeys::ClientKeys, nil] CURVE keys to connect with, nil for no CURVE
      attr_reader :curve

      # @param registry [HandlerRegistry] default: {Tasker::Worker.registry}
      # @param endpoint [String] one orchestrator's endpoint; the same as endpoints: [endpoint]
      # @param endpoints [Array<String>] several orchestrators' endpoints (they may share a database);
      #   default: $TASKER_ENDPOINT (comma-separated), else tcp://127.0.0.1:5555
      # @param discover [Boolean] also serve the other orchestrators a WELCOME names; default true
      # @param worker_id [String] default: a new UUIDv7
      # @param encodings [Array<String>] most preferred first, must include json; default: json and
      #   protobuf when the protobuf runtime loads
      # @param drain_timeout [Numeric] seconds, default 30
      # @param logger [Logger] default: warnings and above to standard error
      # @param curve_server_key [String] the orchestrator's CURVE public key (Z85, its NAME.pub);
      #   default: $TASKER_CURVE_SERVER_KEY; needs curve_key_file. Without both: no CURVE
      # @param curve_key_file [String] this worker's CURVE secret key file (NAME.key from
      #   `tasker keys generate`; the public key is derived from it and must be authorized at the
      #   orchestrator); default: $TASKER_CURVE_KEY_FILE
      def initialize(registry: Tasker::Worker.registry, endpoint: nil, endpoints: nil, discover: true, worker_id: nil,
                     concurrency: DEFAULT_CONCURRENCY,
                     encodings: nil, drain_timeout: DEFAULT_DRAIN_TIMEOUT_SECONDS, logger: nil,
                     heartbeat_liveness: DEFAULT_HEARTBEAT_LIVENESS, hello_retry_initial_ms: DEFAULT_HELLO_RETRY_INITIAL_MS,
                     hello_retry_max_ms: DEFAULT_HELLO_RETRY_MAX_MS, max_body_bytes: Protocol::MAX_BODY_BYTES,
                     clock: -> { Time.now }, curve_server_key: nil, curve_key_file: nil)
        @registry = registry
        @endpoints = (endpoints || (endpoint && [endpoint]) || Settings.split(ENV.fetch("TASKER_ENDPOINT", DEFAULT_ENDPOINT))).dup.freeze
        @discover = discover
        @worker_id = worker_id || Internal::Uuid7.generate
        @concurrency = concurrency
        @encodings = (encodings || Protocol.available_encodings).dup.freeze
        @drain_timeout = drain_timeout
        @logger = logger || Worker.default_logger(Logger::WARN)
        @heartbeat_liveness = heartbeat_liveness
        @hello_retry_initial_ms = hello_retry_initial_ms
        @hello_retry_max_ms = hello_retry_max_ms
        @max_body_bytes = max_body_bytes
        @clock = clock
        @curve = curve_keys(curve_server_key || env("TASKER_CURVE_SERVER_KEY"), curve_key_file || env("TASKER_CURVE_KEY_FILE"))
        validate
        freeze
      end

      # The first endpoint (the only one, for a worker of one orchestrator).
      def endpoint = endpoints.first

      # "a, b,,c" -> ["a", "b", "c"]: a list of endpoints in one string, as TASKER_ENDPOINT holds.
      def self.split(text)
        text.split(",").map(&:strip).reject(&:empty?)
      end

      private

      def env(name)
        value = ENV.fetch(name, nil)
        value.nil? || value.strip.empty? ? nil : value.strip
      end

      def curve_keys(server_key, key_file)
        return nil if server_key.nil? && key_file.nil?
        raise ConfigurationError, "curve_key_file is set but curve_server_key is not: CURVE needs both" if server_key.nil?
        raise ConfigurationError, "curve_server_key is set but curve_key_file is not: CURVE needs both" if key_file.nil?

        CurveKeys.check("curve_server_key", server_key)
        public_key, secret_key = begin
          CurveKeys.read_secret_key_file(key_file)
        rescue ConfigurationError => e
          raise ConfigurationError, "curve_key_file: #{e.message}"
        end
        CurveKeys::ClientKeys.new(server_key: server_key, public_key: public_key, secret_key: secret_key).freeze
      end

      def validate
        raise ConfigurationError, "registry must be a Tasker::HandlerRegistry" unless registry.is_a?(HandlerRegistry)
        raise ConfigurationError, "registry must hold at least one handler" if registry.empty?
        raise ConfigurationError, "endpoints must be a non-empty Array, got #{endpoints.inspect}" unless endpoints.is_a?(Array) && !endpoints.empty?

        endpoints.each { |e| require_text(:endpoint, e) }
        raise ConfigurationError, "endpoints must not repeat an endpoint, got #{endpoints.inspect}" if endpoints.uniq != endpoints
        raise ConfigurationError, "discover must be true or false, got #{discover.inspect}" unless [true, false].include?(discover)

        require_text(:worker_id, worker_id)
        require_integer(:concurrency, concurrency, 1)
        require_integer(:heartbeat_liveness, heartbeat_liveness, 1)
        require_integer(:hello_retry_initial_ms, hello_retry_initial_ms, 1)
        require_integer(:hello_retry_max_ms, hello_retry_max_ms, hello_retry_initial_ms)
        require_integer(:max_body_bytes, max_body_bytes, 1)
        unless drain_timeout.is_a?(Numeric) && drain_timeout.positive?
          raise ConfigurationError, "drain_timeout must be > 0 seconds, got #{drain_timeout.inspect}"
        end
        validate_encodings
      end

      def validate_encodings
        raise ConfigurationError, "encodings must not be empty" if encodings.empty?

        encodings.each { |name| Protocol.codec(name) }
        # docs/protocol.md: every worker must accept json (HELLO, WELCOME, REJECT, ERROR are JSON anyway).
        raise ConfigurationError, "encodings must include json, got #{encodings.inspect}" unless encodings.include?("json")
        raise ConfigurationError, "encodings must not repeat a name, got #{encodings.inspect}" if encodings.uniq != encodings
      end

      def require_text(name, value)
        return if value.is_a?(String) && !value.strip.empty?

        raise ConfigurationError, "#{name} must be a non-blank String, got #{value.inspect}"
      end

      def require_integer(name, value, minimum)
        return if value.is_a?(Integer) && value >= minimum

        raise ConfigurationError, "#{name} must be an Integer >= #{minimum}, got #{value.inspect}"
      end
    end
  end
end
