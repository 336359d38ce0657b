package dev.tasker.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.tasker.client.internal.ApiJson;
import dev.tasker.client.internal.ApiTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A client of the orchestrator's HTTP API ({@code docs/api.md}): creates tasks, reads them, and
 * carries out the operator actions. Any orchestrator on a database answers for all of them.
 *
 * <pre>{@code
 * TaskerHttpClient tasker = TaskerHttpClient.builder("http://127.0.0.1:8080").token(System.getenv("TASKER_API_TOKEN")).build();
 * CreatedTask task = tasker.createTask(NewTask.builder("payments", "checkout").context(Map.of("order_id", 42)).build());
 * tasker.awaitFinished(List.of(task.taskId()), Duration.ofSeconds(30), Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Thread-safe: share one instance. Every method makes one request (except {@link
 * #awaitFinished}, which polls) and throws {@link TaskerApiException} when the API answers with a
 * problem (nothing changed on the server then), {@link TaskerUnreachableException} when no answer
 * comes within the timeouts.
 */
public final class TaskerHttpClient {

  /** How long to wait for a TCP connection by default: 5,000 milliseconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(5_000);

  /** How long to wait for each answer by default: 30,000 milliseconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(30_000);

  private static final TypeFactory TYPES = ApiJson.MAPPER.getTypeFactory();

  private final String baseUrl;
  private final ApiTransport transport;

  private TaskerHttpClient(Builder builder) {
    this.baseUrl = builder.baseUrl;
    HttpClient http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
    this.transport = new ApiTransport(http, builder.baseUrl, builder.token, builder.requestTimeout);
  }

  /**
   * A builder for a client of the API at {@code baseUrl}, for example {@code http://127.0.0.1:8080}
   * (the orchestrator's {@code http_endpoint}); a path prefix is kept, a trailing slash dropped.
   *
   * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http or https URL
   */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** The API's base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /**
   * Creates a task ({@code POST /v1/tasks}). Creating the same task again (same template and
   * context, or the same idempotency key) returns the first one with {@code created == false}.
   *
   * @throws TaskerApiException {@code unknown-template} (404), {@code invalid-context} (422, with
   *     the failing JSON paths in {@link TaskerApiException#errors()}), {@code invalid-request} (400)
   */
  public CreatedTask createTask(NewTask request) {
    return transport.post("/v1/tasks", Objects.requireNonNull(request, "request"), type(CreatedTask.class));
  }

  /**
   * Creates up to 1,000 tasks in one request ({@code POST /v1/tasks/bulk}); all or none are created.
   *
   * @return one answer per request, in order
   * @throws TaskerApiException as {@link #createTask}, naming the request at fault; {@code
   *     payload-too-large} (413) beyond 1,000 tasks or 1 MiB
   */
  public List<CreatedTask> createTasks(List<NewTask> requests) {
    CreatedTasks answer = transport.post("/v1/tasks/bulk", new BulkRequest(List.copyOf(requests)),
        type(CreatedTasks.class));
    return answer.tasks() == null ? List.of() : answer.tasks();
  }

  /** The task with its steps and edges ({@code GET /v1/tasks/{task_id}}); empty when there is none. */
  public Optional<Task> task(UUID taskId) {
    return transport.getIfFound("/v1/tasks/" + Objects.requireNonNull(taskId, "taskId"), type(Task.class));
  }

  /** The step with its task id, input and batches ({@code GET /v1/steps/{step_id}}); empty when there is none. */
  public Optional<Step> step(UUID stepId) {
    return transport.getIfFound("/v1/steps/" + Objects.requireNonNull(stepId, "stepId"), type(Step.class));
  }

  /**
   * One page of tasks, newest first ({@code GET /v1/tasks}). Fetch the next page with {@link
   * TaskPage#nextPage(Page)}. A {@code null} filter lists every task; a {@code null} page is {@link
   * Page#first()}.
   *
   * @throws TaskerApiException {@code invalid-request} (400) for a limit outside 1 to 500 or a
   *     cursor the API did not give
   */
  public TaskPage tasks(TaskFilter filter, Page page) {
    filter = filter == null ? TaskFilter.all() : filter;
    page = page == null ? Page.first() : page;
    Map<String, String> query = new LinkedHashMap<>();
    query.put("state", filter.state());
    query.put("namespace", filter.namespace());
    query.put("name", filter.name());
    query.put("limit", Integer.toString(page.limit()));
    query.put("after", page.after());
    return transport.get("/v1/tasks", query, type(TaskPage.class));
  }

  /**
   * Cancels a task: its unfinished steps are cancelled and results still arriving for them are
   * refused ({@code POST /v1/tasks/{task_id}/cancel}).
   *
   * @return the task, now {@code cancelled}
   * @throws TaskerApiException {@code not-found} (404), {@code operation-not-applicable} (409) when
   *     it has finished
   */
  public Task cancelTask(UUID taskId) {
    return transport.post("/v1/tasks/" + Objects.requireNonNull(taskId, "taskId") + "/cancel", null, type(Task.class));
  }

  /**
   * Gives a step in error a fresh set of attempts and closes its dead letter ({@code POST
   * /v1/steps/{step_id}/retry}).
   *
   * @return the step, now {@code pending}
   * @throws TaskerApiException {@code not-found} (404), {@code operation-not-applicable} (409) when
   *     the step is not in error
   */
  public Step retryStep(UUID stepId) {
    return transport.post("/v1/steps/" + Objects.requireNonNull(stepId, "stepId") + "/retry", null, type(Step.class));
  }

  /**
   * Resolves a step by hand with {@code output}, which its dependents see as its result ({@code
   * POST /v1/steps/{step_id}/resolve}).
   *
   * @param output a {@code Map}, a record, a POJO or a {@link JsonNode}; it must be a JSON object
   * @return the step, now {@code resolved_manually}
   * @throws TaskerApiException {@code not-found} (404), {@code operation-not-applicable} (409) when
   *     the step is running or finished
   */
  public Step resolveStep(UUID stepId, Object output) {
    JsonNode value = ApiJson.MAPPER.valueToTree(output == null ? Map.of() : output);
    return transport.post("/v1/steps/" + Objects.requireNonNull(stepId, "stepId") + "/resolve",
        new Resolution(value), type(Step.class));
  }

  /**
   * Dead letters, oldest first ({@code GET /v1/dead-letters}).
   *
   * @param openOnly only those no operator has acted on
   * @param limit at most this many (1 to 500)
   */
  public List<DeadLetter> deadLetters(boolean openOnly, int limit) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("open", Boolean.toString(openOnly));
    query.put("limit", Integer.toString(limit));
    DeadLetters answer = transport.get("/v1/dead-letters", query, type(DeadLetters.class));
    return answer.deadLetters() == null ? List.of() : answer.deadLetters();
  }

  /** The workers the orchestrators know ({@code GET /v1/workers}). */
  public List<Worker> workers() {
    Workers answer = transport.get("/v1/workers", Map.of(), type(Workers.class));
    return answer.workers() == null ? List.of() : answer.workers();
  }

  /** The templates the orchestrators know ({@code GET /v1/templates}). */
  public List<TemplateSummary> templates() {
    Templates answer = transport.get("/v1/templates", Map.of(), type(Templates.class));
    return answer.templates() == null ? List.of() : answer.templates();
  }

  /**
   * Task and step counts by state, workers by state, recent throughput ({@code GET /v1/overview}),
   * as the API answers it.
   */
  public JsonNode overview() {
    return transport.get("/v1/overview", Map.of(), type(JsonNode.class));
  }

  /**
   * Waits until every task in {@code taskIds} is finished (complete, error or cancelled), reading
   * each unfinished one every {@code pollInterval}.
   *
   * @return {@code false} when {@code timeout} passed first
   * @throws TaskerApiException {@code not-found} when a task does not exist
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitFinished(Collection<UUID> taskIds, Duration timeout, Duration pollInterval)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<UUID> waiting = new LinkedHashSet<>(taskIds);
    while (true) {
      for (UUID id : new ArrayList<>(waiting)) {
        Task task = task(id).orElseThrow(() -> new TaskerApiException(
            TaskerApiException.TYPE_PREFIX + "not-found", "Not found", 404, "no task " + id, "/v1/tasks/" + id,
            List.of()));
        if (task.finished()) {
          waiting.remove(id);
        }
      }
      if (waiting.isEmpty()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  @Override
  public String toString() {
    return "TaskerHttpClient[" + baseUrl + "]";
  }

  private static JavaType type(Class<?> type) {
    return TYPES.constructType(type);
  }

  private record BulkRequest(List<NewTask> tasks) {}

  private record CreatedTasks(List<CreatedTask> tasks) {}

  private record Resolution(JsonNode output) {}

  private record DeadLetters(List<DeadLetter> deadLetters) {}

  private record Workers(List<Worker> workers) {}

  private record Templates(List<TemplateSummary> templates) {}

  /** Builds a {@link TaskerHttpClient}. Not thread-safe. */
  public static final class Builder {
    private final String baseUrl;
    private String token;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    private Builder(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      URI uri;
      try {
        uri = URI.create(baseUrl.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL but was '" + baseUrl + "'", e);
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an http or https URL with a host, like http://127.0.0.1:8080, but was '" + baseUrl + "'");
      }
      String text = uri.toString();
      this.baseUrl = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * The bearer token sent with every request (an {@code operate} token to create tasks and act
     * on steps, a {@code read} token for reading); {@code null} or blank sends none. Never logged
     * nor shown by {@code toString()}.
     */
    public Builder token(String token) {
      this.token = token == null || token.isBlank() ? null : token.strip();
      return this;
    }

    /** How long to wait for a TCP connection; must be &gt; 0 ms. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** How long to wait for each answer; must be &gt; 0 ms. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive(requestTimeout, "requestTimeout");
      return this;
    }

    /** The client. */
    public TaskerHttpClient build() {
      return new TaskerHttpClient(this);
    }

    private static Duration positive(Duration value, String field) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0 ms but was " + (value == null ? null : value.toMillis() + " ms"));
      }
      return value;
    }
  }
}
