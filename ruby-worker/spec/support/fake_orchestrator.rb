# frozen_string_literal: true

require "ffi-rzmq"
require "json"
require_relative "zap_handler"

# A small orchestrator for specs: a ROUTER socket on a free loopback port, driven by the spec's
# thread (which owns the socket). It sends and receives whole messages and remembers the routing
# identity of the last worker it heard from.
class FakeOrchestrator
  Received = Struct.new(:identity, :type, :body, :frames, keyword_init: true)

  ROUTER_HANDOVER = 56

  attr_reader :endpoint, :identity
  attr_accessor :encoding

  attr_reader :zap

  # @param curve [Hash, nil] secret_key: (Z85) and authorized: (Z85 public keys) for a CURVE ROUTER
  #   whose ZAP handler accepts only those keys
  def initialize(curve: nil)
    @context = ZMQ::Context.new
    @zap = ZapHandler.new(@context, curve[:authorized]) if curve
    @socket = @context.socket(ZMQ::ROUTER)
    @socket.setsockopt(ZMQ::LINGER, 0)
    if curve
      @socket.setsockopt(ZMQ::CURVE_SERVER, 1)
      @socket.setsockopt(ZMQ::CURVE_SECRETKEY, curve[:secret_key])
      @socket.setsockopt(ZMQ::ZAP_DOMAIN, "tasker")
    end
    handover = FFI::MemoryPointer.new(:int).write_int(1)
    LibZMQ.zmq_setsockopt(@socket.socket, ROUTER_HANDOVER, handover, 4)
    raise "bind failed: #{ZMQ::Util.error_string}" unless ZMQ::Util.resultcode_ok?(@socket.bind("tcp://127.0.0.1:*"))

    endpoint = []
    @socket.getsockopt(ZMQ::LAST_ENDPOINT, endpoint)
    @endpoint = endpoint.first.delete("\0")
    @poller = ZMQ::Poller.new
    @poller.register_readable(@socket)
    @encoding = "json"
    @backlog = []
  end

  def codec_for(type)
    name = Tasker::Protocol::ALWAYS_JSON.include?(type) ? "json" : encoding
    Tasker::Protocol.codec(name)
  end

  # The next message (decoded with the session encoding), or nil after +timeout+ seconds.
  def receive(timeout: 5)
    return @backlog.shift unless @backlog.empty?

    frames = receive_frames(timeout: timeout) or return nil
    identity, version, type, body = frames
    @identity = identity
    decoded = version == Tasker::Protocol::VERSION_FRAME ? codec_for(type).decode(type, body) : nil
    Received.new(identity: identity, type: type, body: decoded, frames: frames)
  end

  # The next message of +type+, skipping (and keeping in #skipped) others, e.g. heartbeats.
  def expect(type, timeout: 5, skip: %w[HEARTBEAT])
    deadline = monotonic + timeout
    loop do
      left = deadline - monotonic
      raise "no #{type} within #{timeout} s (skipped: #{skipped.map(&:type).last(10)})" if left <= 0

      message = receive(timeout: left)
      next if message.nil?
      return message if message.type == type
      raise "expected #{type} but got #{message.type}: #{message.body.inspect}" unless skip.include?(message.type)

      skipped << message
    end
  end

  # Messages of +types+ that arrive within +window+ seconds.
  def collect(window, types: nil)
    messages = []
    deadline = monotonic + window
    while (left = deadline - monotonic).positive?
      message = receive(timeout: left) or next
      messages << message if types.nil? || types.include?(message.type)
    end
    messages
  end

  # Asserts that nothing but +allowed+ types arrives within +window+ seconds.
  def expect_silence(window, allowed: %w[HEARTBEAT])
    unexpected = collect(window).reject { |m| allowed.include?(m.type) }
    raise "unexpected messages: #{unexpected.map { |m| [m.type, m.body] }}" unless unexpected.empty?
  end

  def skipped
    @skipped ||= []
  end

  def send_message(type, body, identity: @identity)
    send_frames([identity, Tasker::Protocol::VERSION_FRAME, type, codec_for(type).encode(type, body)])
  end

  def send_frames(frames)
    rc = @socket.send_strings(frames.map(&:b), ZMQ::DONTWAIT)
    raise "send failed: #{ZMQ::Util.error_string}" unless ZMQ::Util.resultcode_ok?(rc)
  end

  # Waits for HELLO and answers WELCOME; returns the HELLO.
  def register(timeout: 5, **welcome_options)
    hello = expect("HELLO", timeout: timeout)
    welcome(**welcome_options)
    hello
  end

  def welcome(encoding: "json", heartbeat_interval_ms: 1000, orchestrator_id: "0192f3a4-0000-7000-8000-000000000001")
    send_message("WELCOME", { "worker_id" => identity_text, "orchestrator_id" => orchestrator_id,
                              "protocol_version" => "1", "encoding" => encoding,
                              "heartbeat_interval_ms" => heartbeat_interval_ms })
    self.encoding = encoding
  end

  def identity_text
    @identity.dup.force_encoding(Encoding::UTF_8)
  end

  def close
    @socket.close
    @zap&.stop
    @context.terminate
  end

  private

  def receive_frames(timeout:)
    deadline = monotonic + timeout
    loop do
      frames = []
      return frames if ZMQ::Util.resultcode_ok?(@socket.recv_strings(frames, ZMQ::DONTWAIT))

      left = deadline - monotonic
      return nil if left <= 0

      @poller.poll((left * 1000).ceil)
    end
  end

  def monotonic
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end
end
