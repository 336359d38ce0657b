# frozen_string_literal: true

require "ffi-rzmq"

# A ZAP handler (RFC 27) for specs, on its own thread, which owns its REP socket: it accepts CURVE
# clients whose public key is in +authorized+ (Z85) and counts what it refuses. It binds in the
# server's context, before the server socket binds.
class ZapHandler
  attr_reader :refused, :accepted

  def initialize(context, authorized)
    @authorized = authorized
    @refused = 0
    @accepted = 0
    @socket = context.socket(ZMQ::REP)
    @socket.setsockopt(ZMQ::LINGER, 0)
    @socket.setsockopt(ZMQ::RCVTIMEO, 50)
    raise "ZAP bind failed: #{ZMQ::Util.error_string}" unless ZMQ::Util.resultcode_ok?(@socket.bind("inproc://zeromq.zap.01"))

    @running = true
    @thread = Thread.new { serve while @running }
  end

  def stop
    @running = false
    @thread.join
    @socket.close
  end

  private

  def z85(key)
    LibZMQ.attach_function(:zmq_z85_encode, %i[pointer pointer size_t], :pointer) unless LibZMQ.respond_to?(:zmq_z85_encode)
    source = FFI::MemoryPointer.new(:uint8, key.bytesize).put_bytes(0, key)
    destination = FFI::MemoryPointer.new(:char, 41)
    LibZMQ.zmq_z85_encode(destination, source, key.bytesize)
    destination.read_string
  end

  def serve
    frames = []
    return unless ZMQ::Util.resultcode_ok?(@socket.recv_strings(frames))

    version, request_id, _domain, _address, _identity, mechanism, key = frames
    ok = mechanism == "CURVE" && key&.bytesize == 32 && @authorized.include?(z85(key))
    ok ? @accepted += 1 : @refused += 1
    @socket.send_strings([version, request_id, ok ? "200" : "400", ok ? "OK" : "not authorized", "", ""])
  end
end
