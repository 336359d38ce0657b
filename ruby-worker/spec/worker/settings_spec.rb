# frozen_string_literal: true

RSpec.describe Tasker::Worker::Settings do
  let(:registry) { Tasker::HandlerRegistry.new.register("a") { 1 } }

  def settings(**options)
    described_class.new(registry: registry, logger: Logger.new(nil), **options)
  end

  it "has the documented defaults" do
    defaults = settings

    expect(defaults).to have_attributes(concurrency: 8, drain_timeout: 30, heartbeat_liveness: 3,
                                        hello_retry_initial_ms: 200, hello_retry_max_ms: 5000,
                                        max_body_bytes: 16 * 1024 * 1024, encodings: %w[json protobuf])
    expect(defaults.worker_id).to match(/\A\h{8}-\h{4}-7/)
    expect(defaults).to be_frozen
  end

  it "takes the endpoint from TASKER_ENDPOINT, else the local default" do
    original = ENV.delete("TASKER_ENDPOINT")
    expect(settings.endpoint).to eq("tcp://127.0.0.1:5555")
    ENV["TASKER_ENDPOINT"] = "tcp://10.0.0.1:6000"
    expect(settings.endpoint).to eq("tcp://10.0.0.1:6000")
    expect(settings(endpoint: "tcp://127.0.0.1:1").endpoint).to eq("tcp://127.0.0.1:1")
  ensure
    original ? ENV["TASKER_ENDPOINT"] = original : ENV.delete("TASKER_ENDPOINT")
  end

  it "takes several endpoints, from endpoints: or a comma-separated TASKER_ENDPOINT, and discovers by default" do
    original = ENV.delete("TASKER_ENDPOINT")
    ENV["TASKER_ENDPOINT"] = "tcp://10.0.0.1:6000, tcp://10.0.0.2:6000"
    expect(settings.endpoints).to eq(%w[tcp://10.0.0.1:6000 tcp://10.0.0.2:6000])
    expect(settings.endpoint).to eq("tcp://10.0.0.1:6000")
    both = settings(endpoints: %w[tcp://127.0.0.1:1 tcp://127.0.0.1:2], discover: false)
    expect(both).to have_attributes(endpoints: %w[tcp://127.0.0.1:1 tcp://127.0.0.1:2], discover: false)
    expect(settings.discover).to be(true)
    expect { settings(endpoints: []) }.to raise_error(Tasker::ConfigurationError, /endpoints must be a non-empty Array/)
    expect { settings(endpoints: %w[tcp://a:1 tcp://a:1]) }.to raise_error(Tasker::ConfigurationError, /must not repeat/)
    expect { settings(endpoints: ["tcp://a:1", " "]) }.to raise_error(Tasker::ConfigurationError, /endpoint must be a non-blank/)
  ensure
    original ? ENV["TASKER_ENDPOINT"] = original : ENV.delete("TASKER_ENDPOINT")
  end

  it "names the setting and the constraint when a value is invalid" do
    expect { settings(concurrency: 0) }.to raise_error(Tasker::ConfigurationError, "concurrency must be an Integer >= 1, got 0")
    expect { settings(drain_timeout: 0) }.to raise_error(Tasker::ConfigurationError, /drain_timeout must be > 0 seconds/)
    expect { settings(worker_id: "") }.to raise_error(Tasker::ConfigurationError, /worker_id must be a non-blank String/)
    expect { settings(encodings: []) }.to raise_error(Tasker::ConfigurationError, "encodings must not be empty")
    expect { settings(encodings: ["xml"]) }.to raise_error(Tasker::ConfigurationError, /unknown encoding 'xml'/)
    expect { settings(encodings: ["protobuf"]) }.to raise_error(Tasker::ConfigurationError, /encodings must include json/)
    expect(settings(encodings: %w[protobuf json]).encodings).to eq(%w[protobuf json])
    expect { described_class.new(registry: Tasker::HandlerRegistry.new) }
      .to raise_error(Tasker::ConfigurationError, "registry must hold at least one handler")
  end

  it "reports an endpoint ZeroMQ cannot connect to when the worker runs" do
    worker = Tasker::Worker.new(settings(endpoint: "tcp://nowhere"))

    expect { worker.run }.to raise_error(Tasker::ConfigurationError, /cannot connect to endpoint 'tcp:\/\/nowhere'/)
    expect(worker.state).to eq(:stopped)
  end
end

RSpec.describe Tasker::Worker::Internal::WakeupSignal do
  it "makes a poll return when another thread wakes it, and clears" do
    signal = described_class.new
    poller = ZMQ::Poller.new
    poller.register_readable(signal)

    Thread.new { sleep 0.05 && signal.wake }
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    expect(poller.poll(2000)).to eq(1)
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 1
    signal.clear
    expect(poller.poll(0)).to eq(0)
  ensure
    signal.close
  end
end
