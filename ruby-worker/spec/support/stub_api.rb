# frozen_string_literal: true

require "socket"

# A stand-in for the HTTP API on a free loopback port, on a bare TCPServer (webrick is not in
# Ruby 3's standard library): answers "METHOD /path" with a canned status, content type and body,
# one request per connection, and records each request. Only for checking how Tasker::Client writes
# requests and reads answers.
class StubApi
  Request = Struct.new(:method, :path, :query, :headers, :body)

  attr_reader :requests

  def initialize
    @server = TCPServer.new("127.0.0.1", 0)
    @answers = {}
    @requests = Queue.new
    @thread = Thread.new { serve }
  end

  def url
    "http://127.0.0.1:#{@server.addr[1]}"
  end

  # +body+ is written as JSON (no keyword options here: a trailing hash of string keys would be taken for them).
  def answer(method_and_path, status, body)
    answer_raw(method_and_path, status, "application/json", JSON.generate(body))
  end

  def problem(method_and_path, status, body)
    answer_raw(method_and_path, status, "application/problem+json", JSON.generate(body))
  end

  def answer_raw(method_and_path, status, content_type, text)
    @answers[method_and_path] = [status, content_type, text]
    self
  end

  def last_request
    @requests.pop(timeout: 5) or raise "no request reached the stub"
  end

  def close
    @thread.kill
    @server.close
  end

  private

  def serve
    loop do
      socket = @server.accept
      begin
        handle(socket)
      ensure
        socket.close
      end
    end
  end

  def handle(socket)
    method, target = socket.gets.to_s.split(" ")
    headers = {}
    while (line = socket.gets) && line != "\r\n"
      name, value = line.split(":", 2)
      headers[name.downcase] = value.strip
    end
    body = socket.read(headers.fetch("content-length", "0").to_i)
    path, query = target.split("?", 2)
    @requests << Request.new(method, path, query, headers, body)
    status, content_type, text = @answers.fetch("#{method} #{path}") do
      [404, "application/problem+json",
       JSON.generate("type" => "urn:tasker:problem:not-found", "title" => "Not found", "status" => 404,
                     "detail" => "no route #{path}")]
    end
    socket.write("HTTP/1.1 #{status} X\r\nContent-Type: #{content_type}\r\nContent-Length: #{text.bytesize}\r\n" \
                 "Connection: close\r\n\r\n#{text}")
  end
end
