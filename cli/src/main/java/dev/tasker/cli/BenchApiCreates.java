package dev.tasker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The bench's API phase: tasks created one at a time through {@code POST /v1/tasks}, as a service
 * in another language would, over one kept-alive HTTP/1.1 connection.
 */
final class BenchApiCreates {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchApiCreates() {}

  /**
   * @param firstIndex the index (in the context and idempotency key) of the first task
   * @return each request's duration in milliseconds
   * @throws IllegalStateException when a request is not answered 201
   */
  static double[] createOneByOne(String baseUrl, String run, String tag, int firstIndex, int count)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    String token = System.getenv("TASKER_API_OPERATE_TOKENS") == null ? null
        : System.getenv("TASKER_API_OPERATE_TOKENS").split(",")[0].trim();
    double[] durations = new double[count];
    for (int i = 0; i < count; i++) {
      ObjectNode body = JSON.createObjectNode().put("namespace", "bench").put("name", "single_step")
          .put("idempotency_key", tag + ":" + (firstIndex + i)).put("source_system", "tasker-bench").put("reason", tag);
      body.putObject("context").put("run", run).put("index", firstIndex + i);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tasks"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      long before = System.nanoTime();
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      durations[i] = (System.nanoTime() - before) / 1e6;
      if (response.statusCode() != 201) {
        throw new IllegalStateException("POST /v1/tasks answered " + response.statusCode() + ": " + response.body());
      }
    }
    return durations;
  }
}
