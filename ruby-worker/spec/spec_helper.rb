# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path("../lib", __dir__))

require "securerandom"
require "tasker/worker"
require "tasker/testing"
require_relative "support/fake_orchestrator"
require_relative "support/fixtures"

RSpec.configure do |config|
  config.include Fixtures
  config.disable_monkey_patching!
  config.order = :random
  Kernel.srand(config.seed)
  config.expect_with(:rspec) { |c| c.max_formatted_output_length = 2000 }
end
