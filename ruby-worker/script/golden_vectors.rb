# frozen_string_literal: true

require_relative "../lib/tasker/protocol"

# The golden vectors shared with the Java implementation (protocol/golden/):
#
# * protocol/golden/json/<NAME>.json -- every message, written by hand (the reference);
# * protocol/golden/protobuf/<NAME>.bin -- each encoded in protobuf by the Java codec;
# * protocol/golden/ruby/{json,protobuf}/<NAME>.{json,bin} -- each encoded by the Ruby codecs
#   (written by script/write-golden, read back by a Java test).
#
# NAME is a message type, optionally followed by "_" and a variant ("PARTIAL_RESULT_failed").
module GoldenVectors
  GOLDEN = File.expand_path("../../protocol/golden", __dir__)
  RUBY = File.join(GOLDEN, "ruby")

  module_function

  # The NAMEs of protocol/golden/json/, sorted.
  def names
    Dir[File.join(GOLDEN, "json", "*.json")].map { |path| File.basename(path, ".json") }.sort
  end

  # The message type of golden NAME.
  def type_of(name)
    Tasker::Protocol::MESSAGE_TYPES.select { |type| name == type || name.start_with?("#{type}_") }.max_by(&:size) or
      raise ArgumentError, "#{name} does not start with a message type"
  end

  # The golden message NAME in its JSON shape.
  def message(name)
    Tasker::Protocol::JsonCodec.instance.decode(type_of(name), File.binread(File.join(GOLDEN, "json", "#{name}.json")))
  end

  # What the Ruby codec +encoding+ makes of golden message NAME.
  def ruby_bytes(name, encoding)
    Tasker::Protocol.codec(encoding).encode(type_of(name), message(name))
  end

  # Where the Ruby-written vector of NAME in +encoding+ lives.
  def ruby_path(name, encoding)
    encoding == "json" ? File.join(RUBY, "json", "#{name}.json") : File.join(RUBY, "protobuf", "#{name}.bin")
  end

  # Where the Java-written protobuf vector of NAME lives.
  def java_protobuf_path(name)
    File.join(GOLDEN, "protobuf", "#{name}.bin")
  end
end
