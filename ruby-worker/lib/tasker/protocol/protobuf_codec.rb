# frozen_string_literal: true

require "json"

module Tasker
  module Protocol
    # The protobuf encoding (protocol/src/main/proto/tasker/v1/tasker.proto), behind the same
    # interface as {JsonCodec}: bodies go in and come out in their JSON shape. The mapping:
    #
    # * fields ending in +_json+ carry JSON text; the Hash holds the parsed value under the name
    #   without the suffix (task_context, handler_config, previous_results, output, inputs,
    #   checkpoint);
    # * Timestamp <-> RFC 3339 UTC string with milliseconds; StepStatus <-> "completed", "failed",
    #   "in_progress", "checkpoint";
    # * absent optional fields are omitted; an empty ERROR.supported_versions or HELLO.encodings is
    #   absent; HELLO.held_batches travels in a BatchIdList wrapper (absent wrapper = absent list);
    #   an absent handler_config decodes as {}, absent previous_results as {} (an absent inputs stays
    #   absent: {MessageChecks} fills in the {} default, as for JSON); StepError.backtrace
    #   always decodes as an array (as JSON senders always write it).
    #
    # Encoding is deterministic: fields in number order, map entries sorted by key. Stateless and
    # thread-safe.
    class ProtobufCodec
      NAME = "protobuf"

      # Whether the google-protobuf runtime (and so this codec) can be used.
      def self.available?
        return @available unless @available.nil?

        @available = begin
          require_relative "../proto/tasker/v1/tasker_pb"
          true
        rescue LoadError
          false
        end
      end

      # The shared instance.
      def self.instance
        raise ConfigurationError, "the protobuf encoding needs the google-protobuf gem" unless available?

        @instance ||= new
      end

      def name = NAME

      # @return [String] the binary protobuf encoding of +body+ (a Hash in JSON shape)
      def encode(type, body)
        ProtobufWriter.new.write(type, body)
      end

      # @return [Hash] the message in its JSON shape
      # @raise [MalformedBody] when the bytes are not a valid message or a *_json field is not JSON
      def decode(type, bytes)
        ProtobufReader.new(type).read(bytes)
      end
    end

    # Protobuf enum names of the JSON step statuses.
    STEP_STATUSES = {
      "completed" => :STEP_STATUS_COMPLETED,
      "failed" => :STEP_STATUS_FAILED,
      "in_progress" => :STEP_STATUS_IN_PROGRESS,
      "checkpoint" => :STEP_STATUS_CHECKPOINT
    }.freeze

    # Hash (JSON shape) -> protobuf bytes. Used by {ProtobufCodec}.
    class ProtobufWriter
      def write(type, h)
        return step_batch(h) if type == "STEP_BATCH"

        message = build(type, h)
        message.class.encode(message).b
      end

      private

      def v1 = ::Tasker::V1

      def build(type, h)
        case type
        when "HELLO" then hello(h)
        when "WELCOME" then welcome(h)
        when "REJECT" then v1::Reject.new(**pick(h, %w[worker_id reason supported_versions]))
        when "HEARTBEAT" then v1::Heartbeat.new(sent_at: timestamp(h["sent_at"]))
        when "CREDIT" then v1::Credit.new(**pick(h, %w[credit]))
        when "GOODBYE" then v1::Goodbye.new(**pick(h, %w[reason]))
        when "PARTIAL_RESULT" then partial_result(h)
        when "BATCH_COMPLETION" then batch_completion(h)
        when "ACK" then ack(h)
        when "ERROR" then v1::ProtocolError.new(**pick(h, %w[code message message_type supported_versions]))
        else raise ArgumentError, "unknown message type #{type.inspect}"
        end
      end

      def pick(h, keys)
        keys.each_with_object({}) { |key, fields| fields[key.to_sym] = h[key] unless h[key].nil? }
      end

      def hello(h)
        message = v1::Hello.new(**pick(h, %w[worker_id language sdk_version protocol_versions handlers concurrency
                                             encodings]))
        message.held_batches = v1::BatchIdList.new(batch_ids: h["held_batches"]) if h["held_batches"]
        message
      end

      def welcome(h)
        message = v1::Welcome.new(**pick(h, %w[worker_id orchestrator_id protocol_version encoding heartbeat_interval_ms]))
        (h["orchestrators"] || []).each do |o|
          message.orchestrators << v1::OrchestratorEndpoints.new(**pick(o, %w[orchestrator_id endpoints]))
        end
        message
      end

      def partial_result(h)
        message = v1::PartialResult.new(**pick(h, %w[batch_id step_id attempt worker_id sequence execution_time_ms]))
        message.status = STEP_STATUSES.fetch(h["status"])
        message.output_json = json(h["output"]) if h.key?("output")
        message.error = step_error(h["error"]) if h["error"]
        message.checkpoint_json = json(h["checkpoint"]) unless h["checkpoint"].nil?
        message.timestamp = timestamp(h["timestamp"])
        message
      end

      def batch_completion(h)
        message = v1::BatchCompletion.new(**pick(h, %w[batch_id total_steps completed_steps failed_steps
                                                       in_progress_steps]))
        h["step_summaries"].each do |s|
          summary = v1::StepSummary.new(**pick(s, %w[step_id attempt execution_time_ms]))
          summary.status = STEP_STATUSES.fetch(s["status"])
          summary.output_json = json(s["output"]) if s.key?("output")
          summary.error = step_error(s["error"]) if s["error"]
          summary.checkpoint_json = json(s["checkpoint"]) unless s["checkpoint"].nil?
          message.step_summaries << summary
        end
        message.completed_at = timestamp(h["completed_at"])
        message
      end

      def step_error(h)
        v1::StepError.new(**pick(h, %w[message error_type backtrace retryable retry_after_ms]))
      end

      def ack(h)
        refs = h["partial_results"].map { |r| v1::ResultRef.new(**pick(r, %w[batch_id step_id])) }
        v1::Ack.new(partial_results: refs, batch_completions: h["batch_completions"])
      end

      # Written by hand around the map field so that its entries come out sorted by key: the Ruby
      # runtime has no deterministic mode and iterates maps in hash order.
      def step_batch(h)
        out = v1::StepBatch.encode(v1::StepBatch.new(**pick(h, %w[batch_id protocol_version]))).b
        h["steps"].each { |step| out << field(3, step_request(step)) }
        out
      end

      def step_request(s)
        head = v1::StepExecutionRequest.new(**pick(s, %w[step_id task_id step_name handler]))
        head.handler_config_json = json(s["handler_config"]) if s.key?("handler_config")
        head.task_context_json = json(s["task_context"])
        out = v1::StepExecutionRequest.encode(head).b
        (s["previous_results"] || {}).sort_by { |name, _| name.b }.each do |name, value|
          out << field(7, field(1, name) + field(2, json(value)))
        end
        out << field(8, v1::StepMetadata.encode(v1::StepMetadata.new(**pick(s["metadata"], %w[attempt max_attempts timeout_ms])))) if s["metadata"]
        out << field(9, json(s["inputs"])) unless s["inputs"].nil?
        out << field(10, json(s["checkpoint"])) unless s["checkpoint"].nil?
        out
      end

      # A length-delimited field: tag, length, payload.
      def field(number, payload)
        payload = payload.b
        varint((number << 3) | 2) + varint(payload.bytesize) + payload
      end

      def varint(value)
        bytes = +"".b
        loop do
          byte = value & 0x7f
          value >>= 7
          bytes << (value.zero? ? byte : byte | 0x80).chr
          return bytes if value.zero?
        end
      end

      def json(value)
        JSON.generate(value)
      end

      def timestamp(text)
        time = Timestamps.parse(text) or raise ArgumentError, "not an RFC 3339 timestamp: #{text.inspect}"
        Google::Protobuf::Timestamp.new(seconds: time.to_i, nanos: time.nsec)
      end
    end
  end
end

require_relative "protobuf_reader"
