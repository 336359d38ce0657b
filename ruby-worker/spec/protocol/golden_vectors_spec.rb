# frozen_string_literal: true

require_relative "../../script/golden_vectors"

RSpec.describe "the golden vectors shared with Java" do
  it "covers every message type" do
    expect(GoldenVectors.names.map { |name| GoldenVectors.type_of(name) }.uniq.sort).to eq(Tasker::Protocol::MESSAGE_TYPES)
  end

  GoldenVectors.names.each do |name|
    it "decodes Java's protobuf #{name}.bin to the golden JSON message" do
      path = GoldenVectors.java_protobuf_path(name)
      # A missing vector fails: the Java side must write every one.
      expect(File).to exist(path), "missing #{path}: the Java golden writer must produce it"

      decoded = Tasker::Protocol::ProtobufCodec.instance.decode(GoldenVectors.type_of(name), File.binread(path))
      expect(decoded).to eq(GoldenVectors.message(name))
    end

    %w[json protobuf].each do |encoding|
      it "keeps protocol/golden/ruby's #{encoding} #{name} what the Ruby codec writes now (run script/write-golden)" do
        path = GoldenVectors.ruby_path(name, encoding)

        expect(File).to exist(path)
        expect(File.binread(path)).to eq(GoldenVectors.ruby_bytes(name, encoding))
      end
    end
  end
end
