package dev.tasker.client.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.client.ProblemError;
import dev.tasker.client.TaskerApiException;
import dev.tasker.client.TaskerClientException;
import dev.tasker.client.TaskerUnreachableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** Sends one request, reads one JSON answer or turns an error answer into an exception. Thread-safe. */
public final class ApiTransport {

  private static final int MAX_DETAIL_CHARS = 200;

  private final HttpClient http;
  private final String baseUrl;
  private final String token;
  private final Duration requestTimeout;

  /**
   * A transport to {@code baseUrl} (no trailing slash), sending {@code token} as a bearer token
   * when not {@code null}.
   */
  public ApiTransport(HttpClient http, String baseUrl, String token, Duration requestTimeout) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.token = token;
    this.requestTimeout = requestTimeout;
  }

  /** {@code GET path?query}, the answer read as {@code type}. */
  public <T> T get(String path, Map<String, String> query, JavaType type) {
    return read(send("GET", path + queryString(query), null), type);
  }

  /** {@code GET path}, or empty when the API answers 404 {@code not-found}. */
  public <T> Optional<T> getIfFound(String path, JavaType type) {
    try {
      return Optional.of(get(path, Map.of(), type));
    } catch (TaskerApiException e) {
      if (e.status() == 404 && "not-found".equals(e.kind())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** {@code POST path} with {@code body} as JSON ({@code null}: no body), the answer read as {@code type}. */
  public <T> T post(String path, Object body, JavaType type) {
    return read(send("POST", path, body), type);
  }

  private HttpResponse<byte[]> send(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Accept", "application/json, application/problem+json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(encode(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() >= 400) {
        throw problem(response);
      }
      return response;
    } catch (IOException e) {
      throw new TaskerUnreachableException(
          method + " " + baseUrl + path + " got no answer: " + (e.getMessage() != null ? e.getMessage() : e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskerUnreachableException(method + " " + baseUrl + path + " was interrupted", e);
    }
  }

  private static byte[] encode(Object body) {
    try {
      return ApiJson.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("the request body cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  private static <T> T read(HttpResponse<byte[]> response, JavaType type) {
    try {
      return ApiJson.MAPPER.readValue(response.body(), type);
    } catch (IOException e) {
      throw new TaskerClientException(response.request().method() + " " + response.uri() + " answered "
          + response.statusCode() + " with a body that is not the expected " + type.getRawClass().getSimpleName()
          + ": " + e.getMessage(), e);
    }
  }

  /** An error answer as a problem; one that is not problem JSON keeps its status and body start. */
  static TaskerApiException problem(HttpResponse<byte[]> response) {
    JsonNode json = null;
    try {
      json = ApiJson.MAPPER.readTree(response.body());
    } catch (IOException notJson) {
      // falls through to the about:blank problem below
    }
    if (json != null && json.isObject() && json.hasNonNull("type")) {
      List<ProblemError> errors = new ArrayList<>();
      for (JsonNode error : json.path("errors")) {
        errors.add(new ProblemError(text(error.get("pointer")), text(error.get("message"))));
      }
      return new TaskerApiException(json.get("type").asText(), text(json.get("title")),
          json.path("status").asInt(response.statusCode()), text(json.get("detail")), text(json.get("instance")),
          errors);
    }
    String body = new String(response.body(), StandardCharsets.UTF_8).strip();
    return new TaskerApiException("about:blank", "HTTP " + response.statusCode(), response.statusCode(),
        body.isEmpty() ? null : body.substring(0, Math.min(body.length(), MAX_DETAIL_CHARS)),
        response.uri().getPath(), List.of());
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String queryString(Map<String, String> query) {
    StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
    query.forEach((key, value) -> {
      if (value != null) {
        joined.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    });
    return joined.toString();
  }
}
