# frozen_string_literal: true

RSpec.describe "a session waiting for its WELCOME" do
  let(:settings) { Tasker::Worker::Settings.new(registry: a_registry, logger: Logger.new(nil)) }

  def a_session(now) = Tasker::Worker::Internal::Session.new(1, Object.new, settings, now)

  it "is overdue once per wait, from its start and again from when it was lost" do
    session = a_session(0)

    expect(session.welcome_overdue?(4_999, 5_000)).to be(false)
    expect(session.welcome_overdue?(5_000, 5_000)).to be(true)
    expect(session.welcome_overdue?(9_000, 5_000)).to be(false)

    session.welcome({ "orchestrator_id" => "o", "heartbeat_interval_ms" => 200 }, Tasker::Protocol::JsonCodec.instance)
    expect(session.welcome_overdue?(20_000, 5_000)).to be(false)

    session.lost(30_000)
    expect(session.welcome_overdue?(34_999, 5_000)).to be(false)
    expect(session.welcome_overdue?(35_000, 5_000)).to be(true)
  end
end
