# frozen_string_literal: true

require_relative "lib/tasker/worker/version"

Gem::Specification.new do |spec|
  spec.name = "tasker-worker"
  spec.version = Tasker::Worker::VERSION
  spec.summary = "Ruby worker for the Tasker workflow orchestrator (wire protocol version 1)"
  spec.description = "Runs Ruby step handlers for Tasker for Java: registers with the orchestrator over " \
                     "ZeroMQ, executes steps concurrently and reports their results (JSON or protobuf bodies)."
  spec.authors = ["Tasker for Java contributors"]
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.1"

  spec.files = Dir["lib/**/*.rb", "bin/*", "examples/*.rb", "script/*", "README.md", "tasker-worker.gemspec"]
  spec.bindir = "bin"
  spec.executables = ["tasker-worker"]
  spec.require_paths = ["lib"]

  spec.add_dependency "concurrent-ruby", "~> 1.1"
  spec.add_dependency "ffi-rzmq", "~> 2.0"
  # Optional at run time: without it the worker offers only the json encoding.
  spec.add_dependency "google-protobuf", "~> 3.21"
  spec.add_development_dependency "rspec", "~> 3.12"
end
