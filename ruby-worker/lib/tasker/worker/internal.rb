# frozen_string_literal: true

module Tasker
  class Worker
    # The worker's machinery: the socket thread and what it uses. Not supported API: anything under
    # Tasker::Worker::Internal may change in any release.
    module Internal
    end
  end
end

require_relative "internal/uuid7"
require_relative "internal/wakeup_signal"
require_relative "internal/dealer_connection"
require_relative "internal/json_output"
require_relative "internal/step_runner"
require_relative "internal/batch_run"
require_relative "internal/result_outbox"
require_relative "internal/credit_split"
require_relative "internal/session"
require_relative "internal/sessions"
require_relative "internal/worker_loop"
