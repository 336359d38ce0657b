# frozen_string_literal: true

require "json"
require "net/http"
require "uri"
require_relative "errors"

module Tasker
  # The API answered with an error: an RFC 9457 problem (docs/api.md). A request answered with a
  # problem changed nothing. An error answer that is not a problem (from a proxy, say) gets the type
  # "about:blank", its status and the start of its body as detail.
  class ApiError < Error
    TYPE_PREFIX = "urn:tasker:problem:"

    attr_reader :type, :title, :status, :detail, :instance, :errors

    def initialize(type:, title:, status:, detail: nil, instance: nil, errors: [])
      @type = type
      @title = title
      @status = status
      @detail = detail
      @instance = instance
      @errors = errors || []
      super("#{status} #{type}: #{detail || title}")
    end

    # The type without "urn:tasker:problem:", for example "invalid-context".
    def kind
      type.to_s.delete_prefix(TYPE_PREFIX)
    end
  end

  # No answer came: the connection was refused or cut, or a timeout passed. The request may or may
  # not have been carried out; creating the same task again (same idempotency key, or same template
  # and context) returns the first one.
  class ApiUnreachable < Error; end

  # +Client#wait+ gave up: the task had not finished within the timeout. Carries the task as last read.
  class WaitTimeout < Error
    attr_reader :task

    def initialize(task, timeout)
      @task = task
      super("task #{task['task_id']} still #{task['state']} after #{timeout} s")
    end
  end

  # A client of the orchestrator's HTTP API (docs/api.md) using only Ruby's standard library.
  # Answers are Hashes with the API's snake_case string keys. Safe to share between threads: each
  # request opens its own connection.
  #
  #   client = Tasker::Client.new("http://127.0.0.1:8080", token: ENV["TASKER_API_TOKEN"])
  #   created = client.create(namespace: "payments", name: "checkout", context: { order_id: 42 })
  #   task = client.wait(created["task_id"], timeout: 30)
  class Client
    FINISHED_STATES = %w[complete error cancelled].freeze
    DEFAULT_URL = "http://127.0.0.1:8080"
    MAX_DETAIL_CHARS = 200

    attr_reader :base_url

    # +base_url+ defaults to TASKER_API_URL, then http://127.0.0.1:8080; +token+ (a bearer token)
    # to TASKER_API_TOKEN. Timeouts are in seconds.
    def initialize(base_url = ENV.fetch("TASKER_API_URL", DEFAULT_URL), token: ENV.fetch("TASKER_API_TOKEN", nil),
                   open_timeout: 5, read_timeout: 30)
      @uri = begin
        URI.parse(base_url.to_s.strip.chomp("/"))
      rescue URI::InvalidURIError
        nil
      end
      unless @uri && %w[http https].include?(@uri.scheme) && @uri.host
        raise ConfigurationError, "base_url must be an http or https URL like #{DEFAULT_URL} but was #{base_url.inspect}"
      end
      raise ConfigurationError, "open_timeout must be > 0 s but was #{open_timeout}" unless open_timeout.to_f.positive?
      raise ConfigurationError, "read_timeout must be > 0 s but was #{read_timeout}" unless read_timeout.to_f.positive?

      @base_url = @uri.to_s
      @token = token.to_s.strip.empty? ? nil : token.strip
      @open_timeout = open_timeout
      @read_timeout = read_timeout
    end

    # Creates a task (POST /v1/tasks). Nil arguments are left out, so the server's defaults apply
    # (the newest version, priority 0). Returns {"task_id", "created", "step_count", "template"};
    # "created" is false when the same task existed. Raises ApiError (unknown-template,
    # invalid-context with the failing paths in #errors, invalid-request).
    def create(namespace:, name:, version: nil, context: {}, priority: nil, idempotency_key: nil,
               initiator: nil, source_system: nil, reason: nil)
      body = { "namespace" => namespace, "name" => name, "version" => version, "context" => context,
               "priority" => priority, "idempotency_key" => idempotency_key, "initiator" => initiator,
               "source_system" => source_system, "reason" => reason }.compact
      request(:post, "/v1/tasks", body)
    end

    # The task with its steps and edges (GET /v1/tasks/{id}), or nil when there is none.
    def get(task_id)
      request(:get, "/v1/tasks/#{escape(task_id)}")
    rescue ApiError => e
      raise unless e.status == 404 && e.kind == "not-found"

      nil
    end

    # Reads the task every +interval+ seconds until it is complete, in error or cancelled, and
    # returns it. Raises WaitTimeout after +timeout+ seconds, ApiError not-found for an unknown task.
    def wait(task_id, timeout: 30, interval: 0.2)
      deadline = monotonic + timeout
      loop do
        task = get(task_id) or raise ApiError.new(type: "#{ApiError::TYPE_PREFIX}not-found", title: "Not found",
                                                  status: 404, detail: "no task #{task_id}")
        return task if FINISHED_STATES.include?(task["state"])
        raise WaitTimeout.new(task, timeout) if monotonic >= deadline

        sleep([interval, [deadline - monotonic, 0].max].min)
      end
    end

    # Cancels a task and its unfinished steps (POST /v1/tasks/{id}/cancel); returns the task, now
    # cancelled. Raises ApiError not-found, or operation-not-applicable (409) when it has finished.
    def cancel(task_id)
      request(:post, "/v1/tasks/#{escape(task_id)}/cancel")
    end

    # Gives a step in error fresh attempts (POST /v1/steps/{id}/retry); returns the step.
    def retry_step(step_id)
      request(:post, "/v1/steps/#{escape(step_id)}/retry")
    end

    # Resolves a step by hand with +output+ (a Hash), which its dependents see as its result;
    # returns the step, now resolved_manually.
    def resolve_step(step_id, output = {})
      request(:post, "/v1/steps/#{escape(step_id)}/resolve", { "output" => output })
    end

    def inspect
      "#<Tasker::Client #{@base_url}>"
    end
    alias to_s inspect

    private

    def request(method, path, body = nil)
      target = URI.parse(@base_url + path)
      request = (method == :post ? Net::HTTP::Post : Net::HTTP::Get).new(target)
      request["Accept"] = "application/json, application/problem+json"
      request["Authorization"] = "Bearer #{@token}" if @token
      if body
        request["Content-Type"] = "application/json"
        request.body = JSON.generate(body)
      end
      response = Net::HTTP.start(target.host, target.port, use_ssl: target.scheme == "https",
                                                           open_timeout: @open_timeout, read_timeout: @read_timeout) do |http|
        http.request(request)
      end
      raise problem(response, target) if response.code.to_i >= 400

      JSON.parse(response.body)
    rescue JSON::ParserError => e
      raise Error, "#{method.upcase} #{target} answered #{response.code} with a body that is not JSON: #{e.message}"
    rescue SystemCallError, IOError, Timeout::Error, SocketError => e
      raise ApiUnreachable, "#{method.upcase} #{target} got no answer: #{e.message}"
    end

    def problem(response, target)
      json = begin
        JSON.parse(response.body.to_s)
      rescue JSON::ParserError
        nil
      end
      if json.is_a?(Hash) && json["type"]
        errors = Array(json["errors"]).map { |e| { "pointer" => e["pointer"], "message" => e["message"] } }
        return ApiError.new(type: json["type"], title: json["title"], status: json.fetch("status", response.code.to_i),
                            detail: json["detail"], instance: json["instance"], errors: errors)
      end
      text = response.body.to_s.strip
      ApiError.new(type: "about:blank", title: "HTTP #{response.code}", status: response.code.to_i,
                   detail: text.empty? ? nil : text[0, MAX_DETAIL_CHARS], instance: target.path)
    end

    def escape(id)
      URI.encode_www_form_component(id.to_s)
    end

    def monotonic
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end
  end
end
