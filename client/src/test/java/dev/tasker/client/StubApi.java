package dev.tasker.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the API on a free loopback port: answers each {@code "METHOD /path"} with a canned
 * status, content type and body, and records every request. Not the server: only for checking how
 * the client writes requests and reads answers.
 */
final class StubApi implements AutoCloseable {

  record Answer(int status, String contentType, String body) {}

  record Request(String method, String path, String query, String authorization, String contentType, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  StubApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  StubApi answer(String methodAndPath, int status, String json) {
    answers.put(methodAndPath, new Answer(status, "application/json", json));
    return this;
  }

  StubApi problem(String methodAndPath, int status, String json) {
    answers.put(methodAndPath, new Answer(status, "application/problem+json", json));
    return this;
  }

  StubApi answerRaw(String methodAndPath, int status, String contentType, String body) {
    answers.put(methodAndPath, new Answer(status, contentType, body));
    return this;
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
        body));
    Answer answer = answers.getOrDefault(method + " " + path, new Answer(404, "application/problem+json",
        "{\"type\":\"urn:tasker:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no route "
            + path + "\"}"));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
