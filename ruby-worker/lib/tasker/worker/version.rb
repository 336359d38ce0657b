# frozen_string_literal: true

module Tasker
  # See lib/tasker/worker.rb; reopened here so the gemspec can read the version alone.
  class Worker
    # The gem's version, sent as HELLO.sdk_version.
    VERSION = "0.1.0"
  end
end
