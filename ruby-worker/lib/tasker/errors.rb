# frozen_string_literal: true

module Tasker
  # Root of every error this gem raises on purpose. Rescue it to catch them all.
  class Error < StandardError; end

  # A configuration value is missing or out of range; the message names the setting.
  class ConfigurationError < Error; end

  # The orchestrator refused the worker's HELLO (a REJECT). Carries the orchestrator's reason.
  class WorkerRejected < Error; end
end
