# frozen_string_literal: true

module Tasker
  module Protocol
    # Checks the decoded body of a message an orchestrator sends to a worker against
    # docs/protocol.md: required fields present and not null, types exact (1.0 is not an integer),
    # ranges, UUID strings, RFC 3339 timestamps. Unknown fields are ignored. Stateless.
    #
    #   MessageChecks.check("STEP_BATCH", body) # => body with defaults filled in, or raises
    module MessageChecks
      UUID = /\A\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/.freeze
      INT32 = (-2**31..2**31 - 1).freeze
      INT64 = (-2**63..2**63 - 1).freeze

      module_function

      # @param type [String] one of {TO_WORKER}
      # @param body [Hash] the decoded body
      # @return [Hash] the body, with handler_config, previous_results and inputs defaulted to {}
      #   and a null checkpoint removed
      # @raise [MalformedBody] naming the first offending field
      def check(type, body)
        Checker.new(type).public_send(type.downcase, body)
        body
      end

      # Walks one body; every failure names the field's path, e.g. steps[0].metadata.attempt.
      class Checker
        def initialize(type)
          @type = type
        end

        def welcome(h)
          %w[worker_id orchestrator_id protocol_version encoding].each { |key| text(h, key, "") }
          integer(h, "heartbeat_interval_ms", "", min: 1, range: INT64)
          list(h, "orchestrators", "", required: false).each_with_index do |o, i|
            path = "orchestrators[#{i}]."
            object_at(o, "orchestrators[#{i}]")
            text(o, "orchestrator_id", path)
            strings(o, "endpoints", path).each_with_index do |endpoint, j|
              fail!("#{path}endpoints[#{j}]", "must not be blank") if endpoint.strip.empty?
            end
          end
        end

        def reject(h)
          string(h, "worker_id", "")
          string(h, "reason", "")
          strings(h, "supported_versions", "")
        end

        def heartbeat(h) = timestamp(h, "sent_at", "")

        def goodbye(h) = string(h, "reason", "")

        def ack(h)
          list(h, "partial_results", "").each_with_index do |ref, i|
            path = "partial_results[#{i}]."
            object_at(ref, "partial_results[#{i}]")
            uuid(ref, "batch_id", path)
            uuid(ref, "step_id", path)
          end
          list(h, "batch_completions", "").each_with_index { |id, i| uuid_value(id, "batch_completions[#{i}]") }
        end

        def error(h)
          text(h, "code", "")
          string(h, "message", "")
          string(h, "message_type", "", required: false)
          strings(h, "supported_versions", "", required: false)
        end

        def step_batch(h)
          uuid(h, "batch_id", "")
          text(h, "protocol_version", "")
          steps = list(h, "steps", "")
          fail!("steps", "must hold at least one step") if steps.empty?
          seen = {}
          steps.each_with_index do |step, i|
            step_request(step, "steps[#{i}]")
            fail!("steps[#{i}].step_id", "#{step['step_id']} appears more than once") if seen[step["step_id"]]
            seen[step["step_id"]] = true
          end
        end

        private

        def step_request(s, at)
          object_at(s, at)
          path = "#{at}."
          uuid(s, "step_id", path)
          uuid(s, "task_id", path)
          text(s, "step_name", path)
          text(s, "handler", path)
          s["handler_config"] = {} if s["handler_config"].nil?
          fail!("#{path}handler_config", "must be a JSON object") unless s["handler_config"].is_a?(Hash)
          fail!("#{path}task_context", "is required") if s["task_context"].nil?
          fail!("#{path}task_context", "must be a JSON object") unless s["task_context"].is_a?(Hash)
          s["previous_results"] = {} if s["previous_results"].nil?
          fail!("#{path}previous_results", "must be a JSON object") unless s["previous_results"].is_a?(Hash)
          metadata = s["metadata"]
          fail!("#{path}metadata", "is required") if metadata.nil?
          object_at(metadata, "#{path}metadata")
          integer(metadata, "attempt", "#{path}metadata.", min: 1, range: INT32)
          integer(metadata, "max_attempts", "#{path}metadata.", min: 1, range: INT32)
          integer(metadata, "timeout_ms", "#{path}metadata.", min: 1, range: INT64)
          inputs_and_checkpoint(s, path)
        end

        # inputs: a JSON object, {} when absent. checkpoint: absent, or the object a batch worker
        # yielded (cursor not null, items_processed a whole number >= 0 when present).
        def inputs_and_checkpoint(s, path)
          s["inputs"] = {} if s["inputs"].nil?
          fail!("#{path}inputs", "must be a JSON object") unless s["inputs"].is_a?(Hash)
          s.delete("checkpoint") if s.key?("checkpoint") && s["checkpoint"].nil?
          return unless s.key?("checkpoint")

          checkpoint = s["checkpoint"]
          object_at(checkpoint, "#{path}checkpoint")
          fail!("#{path}checkpoint.cursor", "is required") if checkpoint["cursor"].nil?
          items = checkpoint["items_processed"]
          return if items.nil? || (items.is_a?(Integer) && items >= 0 && INT64.cover?(items))

          fail!("#{path}checkpoint.items_processed", "must be a whole number >= 0, got #{items.inspect[0, 40]}")
        end

        def fail!(field, reason)
          raise MalformedBody.new("#{@type} at #{field}: #{reason}", message_type: @type)
        end

        def object_at(value, field)
          fail!(field, "must be a JSON object") unless value.is_a?(Hash)
        end

        # Returns the value, or nil when it is absent and not required.
        def present(h, key, path, required)
          value = h[key]
          fail!("#{path}#{key}", "is required") if value.nil? && required
          value
        end

        def string(h, key, path, required: true)
          value = present(h, key, path, required)
          fail!("#{path}#{key}", "must be a string, got #{value.inspect[0, 40]}") unless value.nil? || value.is_a?(String)
          value
        end

        def text(h, key, path)
          value = string(h, key, path)
          fail!("#{path}#{key}", "must not be blank") if value.strip.empty?
          value
        end

        def uuid(h, key, path)
          uuid_value(present(h, key, path, true), "#{path}#{key}")
        end

        def uuid_value(value, field)
          fail!(field, "must be a UUID string, got #{value.inspect[0, 60]}") unless value.is_a?(String) && UUID.match?(value)
          value
        end

        def integer(h, key, path, min:, range:)
          value = present(h, key, path, true)
          fail!("#{path}#{key}", "must be an integer, got #{value.inspect[0, 40]}") unless value.is_a?(Integer)
          fail!("#{path}#{key}", "must fit in #{range == INT32 ? 32 : 64} bits, got #{value}") unless range.cover?(value)
          fail!("#{path}#{key}", "must be >= #{min}, got #{value}") if value < min
          value
        end

        def timestamp(h, key, path)
          value = string(h, key, path)
          fail!("#{path}#{key}", "must be an RFC 3339 timestamp, got #{value.inspect[0, 60]}") unless Timestamps.valid?(value)
          value
        end

        def list(h, key, path, required: true)
          value = present(h, key, path, required)
          fail!("#{path}#{key}", "must be an array") unless value.nil? || value.is_a?(Array)
          value || []
        end

        def strings(h, key, path, required: true)
          list(h, key, path, required: required).each_with_index do |value, i|
            fail!("#{path}#{key}[#{i}]", "must be a string") unless value.is_a?(String)
          end
        end
      end
    end
  end
end
