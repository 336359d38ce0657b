# frozen_string_literal: true

require "tmpdir"

RSpec.describe "a worker connecting with CURVE" do
  let(:server) { ZMQ::Util.curve_keypair }
  let(:worker_keys) { ZMQ::Util.curve_keypair }
  let(:dir) { Dir.mktmpdir("tasker-curve") }

  after do
    stop_workers
    @orchestrator&.close
    FileUtils.remove_entry(dir)
  end

  def key_file(name, secret_key)
    path = File.join(dir, "#{name}.key")
    File.write(path, "# #{name}\n#{secret_key}\n")
    path
  end

  def curve_orchestrator(authorized)
    @orchestrator = FakeOrchestrator.new(curve: { secret_key: server[1], authorized: authorized })
  end

  it "registers and runs a batch when its key is authorized" do
    orchestrator = curve_orchestrator([worker_keys[0]])
    a_worker(orchestrator, curve_server_key: server[0], curve_key_file: key_file("worker", worker_keys[1]))

    orchestrator.register
    orchestrator.send_message("STEP_BATCH", a_batch(a_step(handler: "spec.echo", task_context: { "x" => 1 })))

    expect(orchestrator.expect("PARTIAL_RESULT").body).to include("status" => "completed")
    expect(orchestrator.zap.accepted).to be >= 1
  end

  it "gets nothing through with a key the orchestrator does not list" do
    orchestrator = curve_orchestrator([ZMQ::Util.curve_keypair[0]])
    worker = a_worker(orchestrator, curve_server_key: server[0], curve_key_file: key_file("stranger", worker_keys[1]))

    wait_until(message: "a refused handshake") { orchestrator.zap.refused >= 1 }
    orchestrator.expect_silence(1.0, allowed: [])
    expect(worker.wait_until_registered(0)).to be(false)
    wait_until(timeout: 10, message: "the worker's warning") { a_log.string.include?("has no WELCOME") }
    expect(a_log.string.scan("has no WELCOME").size).to eq(1)
    expect(a_log.string).to include("authorized keys file")
    expect(a_log.string).not_to include(worker_keys[0], worker_keys[1], server[0])
  end

  it "gets nothing through without CURVE" do
    orchestrator = curve_orchestrator([worker_keys[0]])
    worker = a_worker(orchestrator)

    orchestrator.expect_silence(1.5, allowed: [])
    expect(worker.wait_until_registered(0)).to be(false)
  end

  it "derives its public key from the secret key file and never shows the secret key" do
    settings = Tasker::Worker::Settings.new(registry: a_registry, logger: Logger.new(nil), curve_server_key: server[0],
                                            curve_key_file: key_file("worker", worker_keys[1]))

    expect(settings.curve.public_key).to eq(worker_keys[0])
    expect(settings.inspect).not_to include(worker_keys[1])
  end

  it "names the setting and never the key when a CURVE setting is wrong" do
    settings = ->(**o) { Tasker::Worker::Settings.new(registry: a_registry, logger: Logger.new(nil), **o) }
    file = key_file("worker", worker_keys[1])

    expect { settings.call(curve_server_key: server[0]) }
      .to raise_error(Tasker::ConfigurationError, "curve_server_key is set but curve_key_file is not: CURVE needs both")
    expect { settings.call(curve_server_key: server[0][1..], curve_key_file: file) }
      .to raise_error(Tasker::ConfigurationError, "curve_server_key must be 40 characters of Z85 but has 39")
    # Cut at the end, after a character that is not '#': a line starting with '#' is a comment.
    File.write(file, "x#{worker_keys[1][0, 37]}\n")
    expect { settings.call(curve_server_key: server[0], curve_key_file: file) }
      .to raise_error(Tasker::ConfigurationError, "curve_key_file: #{file} line 1: the key must be 40 characters of Z85 but has 38")
    File.write(file, "# CURVE public key of worker (tasker keys generate)\n#{worker_keys[0]}\n")
    expect { settings.call(curve_server_key: server[0], curve_key_file: file) }
      .to raise_error(Tasker::ConfigurationError, "curve_key_file: #{file} holds a public key (its first line says " \
                                                  "'# CURVE public key'); give the secret key file (NAME.key) here")
    expect { settings.call(curve_server_key: server[0], curve_key_file: File.join(dir, "none.key")) }
      .to raise_error(Tasker::ConfigurationError, /curve_key_file: .*none.key cannot be read \(no such file\)/)
  end
end
