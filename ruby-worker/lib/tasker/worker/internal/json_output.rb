# frozen_string_literal: true

module Tasker
  class Worker
    module Internal
      # Turns what a handler returned into a JSON value the protocol can carry: Hash keys become
      # Strings, Symbols become Strings, and anything that JSON (or PostgreSQL) cannot hold is an
      # error naming where it is. Runs on the handler thread, so a bad output fails that step and
      # never the socket thread. Stateless.
      module JsonOutput
        # Raised for a value that is not JSON; the step fails with error_type "invalid_output".
        class InvalidOutput < TypeError; end

        module_function

        # @return [Object] a JSON-safe copy of +value+
        # @raise [InvalidOutput] naming the path of the first offending value
        def normalize(value, path = "output", depth = 0)
          raise InvalidOutput, "#{path}: nested deeper than #{Protocol::MAX_JSON_NESTING} levels" if depth > Protocol::MAX_JSON_NESTING

          case value
          when nil, true, false, Integer then value
          when Float
            raise InvalidOutput, "#{path}: #{value} is not a finite number" unless value.finite?

            value
          when String, Symbol then text(value.to_s, path)
          when Hash
            value.each_with_object({}) do |(key, item), copy|
              raise InvalidOutput, "#{path}: key #{key.inspect} is not a String or Symbol" unless key.is_a?(String) || key.is_a?(Symbol)

              name = text(key.to_s, "#{path} key")
              copy[name] = normalize(item, "#{path}.#{name}", depth + 1)
            end
          when Array then value.each_with_index.map { |item, i| normalize(item, "#{path}[#{i}]", depth + 1) }
          else
            raise InvalidOutput, "#{path}: a #{value.class} is not a JSON value (use Hash, Array, String, Integer, Float, true, false or nil)"
          end
        end

        # +text+ as valid UTF-8 without NUL characters, replacing what cannot be stored; for
        # messages and backtraces, which must never make a result unsendable.
        def scrub(text)
          text = text.to_s.dup.force_encoding(Encoding::UTF_8)
          text = text.scrub("\uFFFD") unless text.valid_encoding?
          text.tr("\u0000", "\uFFFD")
        end

        def text(string, path)
          utf8 = string.encoding == Encoding::UTF_8 ? string : string.dup.encode(Encoding::UTF_8)
          raise InvalidOutput, "#{path}: the string is not valid UTF-8" unless utf8.valid_encoding?
          raise InvalidOutput, "#{path}: the string contains \\u0000, which PostgreSQL cannot store" if utf8.include?("\u0000")

          utf8
        rescue EncodingError
          raise InvalidOutput, "#{path}: the string cannot be converted to UTF-8"
        end
      end
    end
  end
end
