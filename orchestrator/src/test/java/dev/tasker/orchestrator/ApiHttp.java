package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A test's HTTP calls to the orchestrator's API, with an optional bearer token. */
final class ApiHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: status, content type and the body (parsed when it is JSON). */
  record Answer(int status, String contentType, String text, String location) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + (text.length() > 400 ? text.substring(0, 400) + "..." : text);
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  ApiHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer get(String path, String token) {
    return send("GET", path, null, null, token);
  }

  Answer post(String path, String json, String token) {
    return send("POST", path, json, json == null ? null : "application/json", token);
  }

  Answer send(String method, String path, String body, String contentType, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      // "Basic ..." is sent as it is, to test other schemes; anything else is a bearer token.
      request.header("Authorization", token.startsWith("Basic ") ? token : "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.body(), response.headers().firstValue("Location").orElse(null));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
