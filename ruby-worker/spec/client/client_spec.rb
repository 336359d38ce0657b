# frozen_string_literal: true

require "tasker/client"
require_relative "../support/stub_api"

RSpec.describe Tasker::Client do
  let(:api) { StubApi.new }
  let(:client) { described_class.new("#{api.url}/", token: "s3cret") }
  let(:task_id) { "0193a1b2-0000-7000-8000-000000000001" }

  after { api.close }

  it "creates a task with only the fields given, as JSON, with the bearer token" do
    api.answer("POST /v1/tasks", 201, "task_id" => task_id, "created" => true, "step_count" => 4,
                                      "template" => "examples/diamond:1.0.0")

    created = client.create(namespace: "examples", name: "diamond", context: { n: 6 }, idempotency_key: "order-1")

    expect(created).to eq("task_id" => task_id, "created" => true, "step_count" => 4, "template" => "examples/diamond:1.0.0")
    request = api.last_request
    expect(request.headers).to include("authorization" => "Bearer s3cret", "content-type" => "application/json")
    expect(JSON.parse(request.body)).to eq("namespace" => "examples", "name" => "diamond", "context" => { "n" => 6 },
                                           "idempotency_key" => "order-1")
  end

  it "sends no Authorization header without a token" do
    api.answer("GET /v1/tasks/#{task_id}", 200, "task_id" => task_id, "state" => "pending")

    described_class.new(api.url, token: " ").get(task_id)

    expect(api.last_request.headers).not_to have_key("authorization")
  end

  it "reads a task, and nil for a task the API does not know" do
    api.answer("GET /v1/tasks/#{task_id}", 200, "task_id" => task_id, "state" => "complete", "steps" => [{ "name" => "start" }])

    expect(client.get(task_id)).to include("state" => "complete", "steps" => [{ "name" => "start" }])
    expect(client.get("0193a1b2-0000-7000-8000-00000000ffff")).to be_nil
  end

  it "raises a problem as an ApiError with every field" do
    api.problem("POST /v1/tasks", 422,
                "type" => "urn:tasker:problem:invalid-context", "title" => "Task context is invalid", "status" => 422,
                "detail" => "$.context.n: is missing", "instance" => "/v1/tasks",
                "errors" => [{ "pointer" => "$.context.n", "message" => "is missing" }])

    expect { client.create(namespace: "examples", name: "diamond") }.to raise_error(Tasker::ApiError) { |e|
      expect([e.type, e.kind, e.title, e.status, e.detail, e.instance])
        .to eq(["urn:tasker:problem:invalid-context", "invalid-context", "Task context is invalid", 422,
                "$.context.n: is missing", "/v1/tasks"])
      expect(e.errors).to eq([{ "pointer" => "$.context.n", "message" => "is missing" }])
      expect(e.message).to eq("422 urn:tasker:problem:invalid-context: $.context.n: is missing")
    }
  end

  it "does not take a 401 on a task for a missing task" do
    api.problem("GET /v1/tasks/#{task_id}", 401, "type" => "urn:tasker:problem:unauthorized", "title" => "Unauthorized",
                                                 "status" => 401)

    expect { client.get(task_id) }.to raise_error(Tasker::ApiError, "401 urn:tasker:problem:unauthorized: Unauthorized")
  end

  it "keeps the status and the start of the body of an error that is not a problem" do
    api.answer_raw("POST /v1/tasks/#{task_id}/cancel", 502, "text/html", "<html>bad gateway</html>#{'x' * 500}")

    expect { client.cancel(task_id) }.to raise_error(Tasker::ApiError) { |e|
      expect([e.type, e.status, e.instance]).to eq(["about:blank", 502, "/v1/tasks/#{task_id}/cancel"])
      expect(e.detail).to start_with("<html>bad gateway</html>")
      expect(e.detail.size).to eq(200)
    }
  end

  it "raises ApiUnreachable when nothing listens" do
    port = TCPServer.open("127.0.0.1", 0) { |s| s.addr[1] }

    expect { described_class.new("http://127.0.0.1:#{port}", open_timeout: 2).get(task_id) }
      .to raise_error(Tasker::ApiUnreachable, %r{\AGET http://127.0.0.1:#{port}/v1/tasks/#{task_id} got no answer})
  end

  it "cancels, retries and resolves with POSTs to their paths" do
    step_id = "0193a1b2-0000-7000-8000-000000000002"
    api.answer("POST /v1/tasks/#{task_id}/cancel", 200, "task_id" => task_id, "state" => "cancelled")
    api.answer("POST /v1/steps/#{step_id}/retry", 200, "step_id" => step_id, "state" => "pending")
    api.answer("POST /v1/steps/#{step_id}/resolve", 200, "step_id" => step_id, "state" => "resolved_manually")

    expect(client.cancel(task_id)["state"]).to eq("cancelled")
    expect(api.last_request.body).to be_empty
    expect(client.retry_step(step_id)["state"]).to eq("pending")
    api.last_request
    expect(client.resolve_step(step_id, "total" => 5)["state"]).to eq("resolved_manually")
    expect(JSON.parse(api.last_request.body)).to eq("output" => { "total" => 5 })
  end

  it "waits until the task has finished, and gives up after the timeout with the task as last read" do
    api.answer("GET /v1/tasks/#{task_id}", 200, "task_id" => task_id, "state" => "in_progress")

    expect { client.wait(task_id, timeout: 0.15, interval: 0.02) }.to raise_error(Tasker::WaitTimeout) { |e|
      expect(e.task["state"]).to eq("in_progress")
      expect(e.message).to eq("task #{task_id} still in_progress after 0.15 s")
    }
    expect(api.requests.size).to be > 2

    api.answer("GET /v1/tasks/#{task_id}", 200, "task_id" => task_id, "state" => "error")
    expect(client.wait(task_id, timeout: 5, interval: 0.02)["state"]).to eq("error")
  end

  it "says so when waiting for a task that does not exist" do
    expect { client.wait(task_id, timeout: 1) }.to raise_error(Tasker::ApiError) { |e|
      expect([e.kind, e.detail]).to eq(["not-found", "no task #{task_id}"])
    }
  end

  it "refuses a URL or timeout it cannot use, naming it, and never shows the token" do
    expect { described_class.new("127.0.0.1:8080") }.to raise_error(Tasker::ConfigurationError, /base_url must be an http or https URL/)
    expect { described_class.new(api.url, read_timeout: 0) }.to raise_error(Tasker::ConfigurationError, "read_timeout must be > 0 s but was 0")
    expect(client.inspect).to eq("#<Tasker::Client #{api.url}>")
    expect(client.base_url).to eq(api.url)
  end

  it "can be loaded without the worker and its ZeroMQ gems" do
    script = "require 'tasker/client'; print $LOADED_FEATURES.grep(/ffi-rzmq|ffi_rzmq|concurrent/).size"
    output = IO.popen([RbConfig.ruby, "-I", File.join(Fixtures::RUBY_WORKER, "lib"), "-e", script], &:read)

    expect(output).to eq("0")
  end
end
