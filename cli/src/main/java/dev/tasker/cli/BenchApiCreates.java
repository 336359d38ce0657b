package dev.tasker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The bench's API phase: tasks created one at a time through {@code POST /v1/tasks}, as a service
 * in another language would, over one kept-alive HTTP/1.1 connection. {@link HttpURLConnection}
 * rather than {@code java.net.http.HttpClient}: the latter's asynchronous machinery added about
 * 3 ms to each request here, which is the client's cost, not the server's.
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
      throws IOException {
    return post(baseUrl, run, tag, firstIndex, count, false);
  }

  /**
   * Sends {@code count} requests that all name one task (one idempotency key): the first creates
   * it, the rest answer 200 with it. Unmeasured: compiles the server's request path (Jetty,
   * Javalin, the strict JSON reading) before the measured phase, as the warm-up does for the rest.
   */
  static void warmUp(String baseUrl, String run, String tag, int count) throws IOException {
    post(baseUrl, run, tag, 0, count, true);
  }

  private static double[] post(String baseUrl, String run, String tag, int firstIndex, int count, boolean sameTask)
      throws IOException {
    String tokens = System.getenv("TASKER_API_OPERATE_TOKENS");
    String token = tokens == null || tokens.isBlank() ? null : tokens.split(",")[0].trim();
    java.net.URL url = URI.create(baseUrl + "/v1/tasks").toURL();
    double[] durations = new double[count];
    for (int i = 0; i < count; i++) {
      int index = sameTask ? firstIndex : firstIndex + i;
      ObjectNode body = JSON.createObjectNode().put("namespace", "bench").put("name", "single_step")
          .put("idempotency_key", tag + ":" + index).put("source_system", "tasker-bench").put("reason", tag);
      body.putObject("context").put("run", run).put("index", index);
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      long before = System.nanoTime();
      HttpURLConnection connection = (HttpURLConnection) url.openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(bytes.length);
      connection.setRequestProperty("Content-Type", "application/json");
      if (token != null) {
        connection.setRequestProperty("Authorization", "Bearer " + token);
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(bytes);
      }
      int status = connection.getResponseCode();
      InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (in != null) {
        in.close(); // read to the end and closed: the connection goes back to the keep-alive cache
      }
      durations[i] = (System.nanoTime() - before) / 1e6;
      if (status != 201 && !(sameTask && status == 200)) {
        throw new IllegalStateException("POST /v1/tasks answered " + status + ": " + answer);
      }
    }
    return durations;
  }
}
