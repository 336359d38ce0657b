# frozen_string_literal: true

module Tasker
  module Protocol
    # Protobuf bytes -> Hash in JSON shape, for one message type. Used by {ProtobufCodec}; see it
    # for the mapping. A new instance per message (it remembers the type for error messages).
    class ProtobufReader
      CLASSES = {
        "HELLO" => :Hello, "WELCOME" => :Welcome, "REJECT" => :Reject, "HEARTBEAT" => :Heartbeat,
        "CREDIT" => :Credit, "GOODBYE" => :Goodbye, "STEP_BATCH" => :StepBatch,
        "PARTIAL_RESULT" => :PartialResult, "BATCH_COMPLETION" => :BatchCompletion, "ACK" => :Ack,
        "ERROR" => :ProtocolError
      }.freeze
      STATUSES = STEP_STATUSES.invert.freeze
      # Seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: RFC 3339 has four-digit years.
      SECONDS_RANGE = [-62_167_219_200, 253_402_300_799].freeze

      def initialize(type)
        @type = type
      end

      # @raise [MalformedBody]
      def read(bytes)
        name = CLASSES.fetch(@type) { raise ArgumentError, "unknown message type #{@type.inspect}" }
        message = begin
          ::Tasker::V1.const_get(name).decode(bytes.b)
        rescue Google::Protobuf::ParseError => e
          raise MalformedBody.new("#{@type}: not a valid protobuf #{name} message (#{e.message})", message_type: @type)
        end
        send(@type.downcase, message)
      end

      private

      def hello(m)
        h = { "worker_id" => m.worker_id, "language" => m.language, "sdk_version" => m.sdk_version,
              "protocol_versions" => m.protocol_versions.to_a, "handlers" => m.handlers.to_a,
              "concurrency" => m.concurrency }
        h["encodings"] = m.encodings.to_a unless m.encodings.empty?
        h["held_batches"] = m.held_batches.batch_ids.to_a if m.held_batches
        h
      end

      def welcome(m)
        { "worker_id" => m.worker_id, "orchestrator_id" => m.orchestrator_id,
          "protocol_version" => m.protocol_version, "encoding" => m.encoding,
          "heartbeat_interval_ms" => m.heartbeat_interval_ms }.tap do |h|
          # Empty counts as absent, as in JSON, where senders omit it.
          unless m.orchestrators.empty?
            h["orchestrators"] = m.orchestrators.map do |o|
              { "orchestrator_id" => o.orchestrator_id, "endpoints" => o.endpoints.to_a }
            end
          end
        end
      end

      def reject(m)
        { "worker_id" => m.worker_id, "reason" => m.reason, "supported_versions" => m.supported_versions.to_a }
      end

      def heartbeat(m)
        timestamped({}, "sent_at", m.sent_at)
      end

      def credit(m) = { "credit" => m.credit }

      def goodbye(m) = { "reason" => m.reason }

      def step_batch(m)
        steps = m.steps.each_with_index.map { |step, i| step_request(step, "steps[#{i}]") }
        { "batch_id" => m.batch_id, "protocol_version" => m.protocol_version, "steps" => steps }
      end

      def step_request(m, path)
        h = { "step_id" => m.step_id, "task_id" => m.task_id, "step_name" => m.step_name, "handler" => m.handler }
        h["handler_config"] = m.has_handler_config_json? ? json(m.handler_config_json, "#{path}.handler_config_json") : {}
        h["task_context"] = json(m.task_context_json, "#{path}.task_context_json")
        h["previous_results"] = m.previous_results_json.to_h.sort.to_h do |name, text|
          [name, json(text, "#{path}.previous_results_json[#{name}]")]
        end
        if m.metadata
          h["metadata"] = { "attempt" => m.metadata.attempt, "max_attempts" => m.metadata.max_attempts,
                            "timeout_ms" => m.metadata.timeout_ms }
        end
        h["inputs"] = json(m.inputs_json, "#{path}.inputs_json") if m.has_inputs_json?
        h["checkpoint"] = json(m.checkpoint_json, "#{path}.checkpoint_json") if m.has_checkpoint_json?
        h
      end

      def partial_result(m)
        h = { "batch_id" => m.batch_id, "step_id" => m.step_id, "attempt" => m.attempt,
              "status" => status(m.status, "status") }
        h["output"] = json(m.output_json, "output_json") if m.has_output_json?
        h["error"] = step_error(m.error) if m.error
        h["checkpoint"] = json(m.checkpoint_json, "checkpoint_json") if m.has_checkpoint_json?
        h["worker_id"] = m.worker_id
        h["sequence"] = m.sequence
        timestamped(h, "timestamp", m.timestamp)
        h["execution_time_ms"] = m.execution_time_ms
        h
      end

      def batch_completion(m)
        summaries = m.step_summaries.each_with_index.map do |s, i|
          h = { "step_id" => s.step_id, "attempt" => s.attempt, "status" => status(s.status, "step_summaries[#{i}].status") }
          h["output"] = json(s.output_json, "step_summaries[#{i}].output_json") if s.has_output_json?
          h["error"] = step_error(s.error) if s.error
          h["checkpoint"] = json(s.checkpoint_json, "step_summaries[#{i}].checkpoint_json") if s.has_checkpoint_json?
          h["execution_time_ms"] = s.execution_time_ms
          h
        end
        h = { "batch_id" => m.batch_id, "total_steps" => m.total_steps, "completed_steps" => m.completed_steps,
              "failed_steps" => m.failed_steps, "in_progress_steps" => m.in_progress_steps,
              "step_summaries" => summaries }
        timestamped(h, "completed_at", m.completed_at)
      end

      def step_error(m)
        h = { "message" => m.message, "error_type" => m.error_type, "backtrace" => m.backtrace.to_a,
              "retryable" => m.retryable }
        h["retry_after_ms"] = m.retry_after_ms if m.has_retry_after_ms?
        h
      end

      def ack(m)
        { "partial_results" => m.partial_results.map { |r| { "batch_id" => r.batch_id, "step_id" => r.step_id } },
          "batch_completions" => m.batch_completions.to_a }
      end

      def error(m)
        h = { "code" => m.code, "message" => m.message }
        h["message_type"] = m.message_type if m.has_message_type?
        h["supported_versions"] = m.supported_versions.to_a unless m.supported_versions.empty?
        h
      end

      def timestamped(h, key, timestamp)
        return h unless timestamp

        unless timestamp.nanos.between?(0, 999_999_999) && timestamp.seconds.between?(*SECONDS_RANGE)
          raise MalformedBody.new("#{@type} at #{key}: not a timestamp of the years 0000 to 9999", message_type: @type)
        end

        h[key] = Timestamps.format(Time.at(timestamp.seconds, timestamp.nanos, :nsec))
        h
      end

      def status(value, field)
        STATUSES.fetch(value) do
          raise MalformedBody.new("#{@type} at #{field}: must be completed, failed, in_progress or checkpoint, got #{value}",
                                  message_type: @type)
        end
      end

      def json(text, field)
        JsonCodec.parse_value(text, @type, field)
      end
    end
  end
end
