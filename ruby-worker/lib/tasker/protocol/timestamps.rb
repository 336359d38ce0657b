# frozen_string_literal: true

require "date"

module Tasker
  module Protocol
    # RFC 3339 timestamps: written in UTC with milliseconds (2026-11-27T10:15:30.123Z); read with
    # any offset and any number of fraction digits. Stateless.
    module Timestamps
      PATTERN = /\A(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z/.freeze

      module_function

      # +time+ as an RFC 3339 UTC string with milliseconds (sub-millisecond digits are truncated).
      def format(time)
        time.getutc.strftime("%Y-%m-%dT%H:%M:%S.%LZ")
      end

      # Whether +text+ is an RFC 3339 timestamp.
      def valid?(text)
        !parse(text).nil?
      end

      # The Time that +text+ names, or nil when it is not an RFC 3339 timestamp.
      def parse(text)
        match = PATTERN.match(text) if text.is_a?(String)
        return nil unless match

        year, month, day, hour, minute, second = match.captures.first(6).map(&:to_i)
        return nil unless Date.valid_date?(year, month, day) && hour < 24 && minute < 60 && second < 61

        zone = match[8].casecmp?("z") ? "+00:00" : match[8]
        return nil if zone[1, 2].to_i > 23 || zone[4, 2].to_i > 59

        seconds = match[7] ? Rational("#{second}#{match[7]}") : second
        Time.new(year, month, day, hour, minute, seconds, zone)
      end
    end
  end
end
