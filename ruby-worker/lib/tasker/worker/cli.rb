# frozen_string_literal: true

require "optparse"
require_relative "../worker"

module Tasker
  class Worker
    # The tasker-worker executable: parses options, loads handler files, runs a worker until it
    # has drained (SIGTERM or SIGINT; a second signal stops waiting).
    #
    # Exit status: 0 after a clean drain, 1 on bad arguments or a handler file that fails to load,
    # 2 when the orchestrator rejects the worker, 3 when the drain timed out with work left.
    class CLI
      EXIT_DRAINED = 0
      EXIT_USAGE = 1
      EXIT_REJECTED = 2
      EXIT_DRAIN_TIMEOUT = 3
      LOG_LEVELS = %w[debug info warn error].freeze

      Usage = Class.new(StandardError)

      def initialize(argv, registry: Tasker::Worker.registry, out: $stdout, err: $stderr)
        @argv = argv.dup
        @registry = registry
        @out = out
        @err = err
        @options = { requires: [], log_level: "info" }
      end

      # @return [Integer] the exit status
      def run
        return EXIT_DRAINED if parse == :help

        @options[:requires].each { |file| load_handlers(file) }
        worker = build_worker
        trap_signals(worker)
        case worker.run
        when :rejected then EXIT_REJECTED
        when :drain_timeout then EXIT_DRAIN_TIMEOUT
        else EXIT_DRAINED
        end
      rescue Usage, OptionParser::ParseError => e
        @err.puts("tasker-worker: #{e.message}")
        @err.puts("Run tasker-worker --help for the options.")
        EXIT_USAGE
      rescue ConfigurationError => e
        @err.puts("tasker-worker: #{e.message}")
        EXIT_USAGE
      end

      private

      def parser
        OptionParser.new do |o|
          o.banner = "Usage: tasker-worker --require FILE [options]\n\n" \
                     "Runs a Ruby worker for the Tasker orchestrator, serving the handlers that the --require files\n" \
                     "register. It drains on SIGTERM or SIGINT: no new steps, running steps finish and are reported.\n\n"
          o.on("--endpoint URL", "Orchestrator endpoint; repeat it or separate with commas to serve several " \
                                 "(default: $TASKER_ENDPOINT, else #{Settings::DEFAULT_ENDPOINT})") do |v|
            (@options[:endpoints] ||= []).concat(Settings.split(v))
          end
          o.on("--no-discover", "Serve only the given endpoints, not the other orchestrators a WELCOME names") do
            @options[:discover] = false
          end
          o.on("--require FILE", "Ruby file that registers handlers; repeatable") { |v| @options[:requires] << v }
          o.on("--concurrency N", "Steps run at once (default: #{Settings::DEFAULT_CONCURRENCY})") do |v|
            @options[:concurrency] = integer("--concurrency", v, 1)
          end
          o.on("--worker-id ID", "Worker id (default: a new UUIDv7)") { |v| @options[:worker_id] = v }
          o.on("--encodings LIST", "Body encodings offered, most preferred first, including json " \
                                   "(default: #{Protocol.available_encodings.join(',')})") do |v|
            @options[:encodings] = encodings(v)
          end
          o.on("--drain-timeout SECONDS", "Longest wait for running steps and acknowledgements when stopping " \
                                          "(default: #{Settings::DEFAULT_DRAIN_TIMEOUT_SECONDS})") do |v|
            @options[:drain_timeout] = seconds("--drain-timeout", v)
          end
          o.on("--curve-server-key KEY", "The orchestrator's CURVE public key, 40 characters of Z85 " \
                                         "(default: $TASKER_CURVE_SERVER_KEY); needs --curve-key-file") do |v|
            @options[:curve_server_key] = v
          end
          o.on("--curve-key-file FILE", "This worker's CURVE secret key file, NAME.key from tasker keys generate " \
                                        "(default: $TASKER_CURVE_KEY_FILE)") do |v|
            @options[:curve_key_file] = v
          end
          o.on("--log-level LEVEL", "#{LOG_LEVELS.join(', ')} (default: info)") do |v|
            raise Usage, "--log-level must be one of #{LOG_LEVELS.join(', ')}, got '#{v}'" unless LOG_LEVELS.include?(v)

            @options[:log_level] = v
          end
          o.on("--version", "Print the version") { @options[:version] = true }
          o.on("-h", "--help", "Print this help") { @options[:help] = true }
          o.separator("\nExit status: 0 drained, 1 bad arguments, 2 rejected by the orchestrator, 3 drain timed out.")
        end
      end

      def parse
        parser.parse!(@argv)
        raise Usage, "unexpected argument '#{@argv.first}'" unless @argv.empty?

        if @options[:help] || @options[:version]
          @out.puts(@options[:help] ? parser.help : "tasker-worker #{VERSION}")
          return :help
        end
        raise Usage, "no handlers: give at least one --require FILE" if @options[:requires].empty?

        :run
      end

      def integer(option, text, minimum)
        value = Integer(text, 10)
        raise ArgumentError if value < minimum

        value
      rescue ArgumentError
        raise Usage, "#{option} must be an integer >= #{minimum}, got '#{text}'"
      end

      def seconds(option, text)
        value = Float(text)
        raise ArgumentError unless value.finite? && value.positive?

        value
      rescue ArgumentError
        raise Usage, "#{option} must be a number of seconds > 0, got '#{text}'"
      end

      def encodings(text)
        names = text.split(",").map(&:strip).reject(&:empty?)
        raise Usage, "--encodings must name at least one of json, protobuf" if names.empty?

        names.each do |name|
          raise Usage, "--encodings: unknown encoding '#{name}'; known: json, protobuf" unless %w[json protobuf].include?(name)
          if name == "protobuf" && !Protocol::ProtobufCodec.available?
            raise Usage, "--encodings: protobuf needs the google-protobuf gem (Debian: ruby-google-protobuf)"
          end
        end
        raise Usage, "--encodings must include json (every worker accepts it), got '#{text}'" unless names.include?("json")

        names.uniq
      end

      def load_handlers(file)
        path = File.expand_path(file)
        raise Usage, "--require: no such file '#{file}'" unless File.file?(path)

        require path
      rescue Usage
        raise
      rescue ScriptError, StandardError => e
        raise Usage, "--require #{file} failed: #{e.class}: #{e.message}"
      end

      def build_worker
        logger = Worker.default_logger(Logger.const_get(@options[:log_level].upcase))
        settings = Settings.new(
          registry: @registry, logger: logger,
          **@options.slice(:endpoints, :discover, :concurrency, :worker_id, :encodings, :drain_timeout, :curve_server_key,
                           :curve_key_file)
        )
        logger.info("worker #{settings.worker_id} serving #{@registry.size} handlers on #{settings.endpoints.join(', ')} " \
                    "(concurrency #{settings.concurrency}, encodings #{settings.encodings.join(', ')}" \
                    "#{settings.curve ? ', CURVE' : ''})")
        Worker.new(settings)
      rescue ConfigurationError => e
        raise Usage, "#{option_of(e.message)}#{e.message}"
      end

      def option_of(message)
        setting = message[/\A(\w+) /, 1]
        return "" unless setting && %w[endpoint endpoints discover concurrency worker_id encodings drain_timeout curve_server_key curve_key_file].include?(setting)

        "--#{setting.tr('_', '-')}: "
      end

      def trap_signals(worker)
        %w[TERM INT].each { |signal| Signal.trap(signal) { worker.request_drain } }
      end
    end
  end
end
