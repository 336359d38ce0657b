package dev.tasker.orchestrator.internal.api;

import dev.tasker.orchestrator.ApiTokens;
import dev.tasker.orchestrator.HttpEndpoint;
import dev.tasker.orchestrator.InvalidOperationException;
import dev.tasker.orchestrator.InvalidTaskContextException;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TaskerDatabaseException;
import dev.tasker.orchestrator.UnknownTemplateException;
import dev.tasker.orchestrator.internal.metrics.Readiness;
import dev.tasker.orchestrator.internal.metrics.TaskerMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's HTTP server (Javalin on Jetty; docs/decisions/0010-http-server.md): the API
 * under {@code /v1}, {@code /health/live} and {@code /health/ready}, {@code /metrics} and the
 * dashboard. Every handler reads or writes PostgreSQL through the pool, so it never touches the
 * dispatcher's, applier's or transport's threads. Lifecycle: {@link #start()} once, {@link
 * #close()} once.
 */
public final class ApiServer implements AutoCloseable {

  /** Who the transitions name as acting, for changes made through the API. */
  static final String OPERATOR = "api";

  /** Where the dashboard's files are, on the class path. */
  static final String DASHBOARD_RESOURCES = "/dev/tasker/orchestrator/dashboard";

  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final String PROBLEM_WRITTEN = "tasker.problem";

  /**
   * What the server serves from the orchestrator.
   *
   * @param readiness the readiness checks' report (answers within a few seconds)
   * @param prometheus the metrics scrape in Prometheus text format
   * @param finishedSteps a running total of steps finished here, for the overview's throughput
   */
  public record Sources(TaskerClient client, DataSource dataSource, Supplier<Readiness.Report> readiness,
      Supplier<String> prometheus, LongSupplier finishedSteps) {}

  private final HttpEndpoint endpoint;
  private final ApiTokens tokens;
  private final Sources sources;
  private final Throughput throughput;
  private final ScheduledExecutorService sampler;
  private Javalin app;

  public ApiServer(HttpEndpoint endpoint, ApiTokens tokens, Sources sources, Clock clock) {
    this.endpoint = endpoint;
    this.tokens = tokens;
    this.sources = sources;
    this.throughput = new Throughput(sources.finishedSteps(), clock);
    this.sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "tasker-http-sampler");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Binds and starts serving.
   *
   * @throws IllegalStateException when the address cannot be bound (in use, not local)
   */
  public synchronized ApiServer start() {
    ApiQueries queries = new ApiQueries(sources.dataSource());
    TaskRoutes tasks = new TaskRoutes(sources.client(), queries);
    StepRoutes steps = new StepRoutes(sources.client(), queries);
    CatalogRoutes catalog = new CatalogRoutes(sources.client(), queries, throughput);
    OpenApiDocument openApi = new OpenApiDocument();
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(JsonBodies.MAPPER, false));
      config.http.prefer405over404 = true;
      config.http.maxRequestSize = JsonBodies.MAX_BODY_BYTES;
      config.jetty.host = endpoint.host();
      config.jetty.port = endpoint.port();
      if (ApiServer.class.getResource(DASHBOARD_RESOURCES) != null) {
        config.staticFiles.add(files -> {
          files.hostedPath = "/";
          files.directory = DASHBOARD_RESOURCES;
          files.location = Location.CLASSPATH;
        });
      }
      config.routes.before(this::authorize);
      for (Route route : routes(tasks, steps, catalog, openApi)) {
        config.routes.addHttpHandler(route.method(), route.path(), route.handler());
      }
      config.routes.exception(Exception.class, this::failed);
      config.routes.error(404, ctx -> unlessWritten(ctx, ProblemKind.NOT_FOUND,
          "no route " + ctx.method() + " " + ctx.path() + "; the routes are in /v1/openapi.json"));
      config.routes.error(405, ctx -> unlessWritten(ctx, ProblemKind.METHOD_NOT_ALLOWED,
          ctx.method() + " is not allowed on " + ctx.path() + "; the routes are in /v1/openapi.json"));
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("http_endpoint " + endpoint.host() + ":" + endpoint.port()
          + " cannot be bound: " + e.getMessage(), e);
    }
    sampler.scheduleAtFixedRate(throughput::sample, 5, 5, TimeUnit.SECONDS);
    log.info("HTTP API, health, metrics and dashboard on {}{}", url(),
        tokens.isEmpty() ? " (no API tokens: loopback only)" : " (bearer tokens required)");
    return this;
  }

  /** {@code http://host:port}, with the port actually bound. */
  public String url() {
    String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
    return "http://" + host + ":" + app.port();
  }

  @Override
  public synchronized void close() {
    sampler.shutdownNow();
    if (app != null) {
      app.stop();
    }
  }

  /** A route the server answers: method, path with {@code {param}}s, handler. */
  record Route(HandlerType method, String path, io.javalin.http.Handler handler) {}

  /** Every route served, for the test that checks the OpenAPI document covers them all. */
  List<Route> routes() {
    ApiQueries queries = new ApiQueries(sources.dataSource());
    return routes(new TaskRoutes(sources.client(), queries), new StepRoutes(sources.client(), queries),
        new CatalogRoutes(sources.client(), queries, throughput), new OpenApiDocument());
  }

  private List<Route> routes(TaskRoutes tasks, StepRoutes steps, CatalogRoutes catalog, OpenApiDocument openApi) {
    HandlerType get = HandlerType.GET;
    HandlerType post = HandlerType.POST;
    return List.of(
        new Route(get, "/health/live", ctx -> ctx.json(Map.of("status", "up"))),
        new Route(get, "/health/ready", this::ready),
        new Route(get, "/metrics", ctx -> ctx.contentType(TaskerMetrics.CONTENT_TYPE)
            .result(sources.prometheus().get())),
        new Route(get, "/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi.json())),
        new Route(post, "/v1/tasks", tasks::create),
        new Route(post, "/v1/tasks/bulk", tasks::createMany),
        new Route(get, "/v1/tasks", tasks::list),
        new Route(get, "/v1/tasks/{task_id}", tasks::get),
        new Route(post, "/v1/tasks/{task_id}/cancel", tasks::cancel),
        new Route(get, "/v1/steps/{step_id}", steps::get),
        new Route(post, "/v1/steps/{step_id}/retry", steps::retry),
        new Route(post, "/v1/steps/{step_id}/resolve", steps::resolve),
        new Route(get, "/v1/dead-letters", catalog::deadLetters),
        new Route(get, "/v1/workers", catalog::workers),
        new Route(get, "/v1/templates", catalog::templates),
        new Route(get, "/v1/templates/{namespace}/{name}", catalog::template),
        new Route(get, "/v1/overview", catalog::overview));
  }

  private void authorize(Context ctx) {
    String path = ctx.path();
    boolean guarded = (path.startsWith("/v1/") && !path.equals("/v1/openapi.json")) || path.equals("/metrics");
    if (!guarded || tokens.isEmpty() || ctx.method() == HandlerType.OPTIONS) {
      return;
    }
    String header = ctx.header("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    ApiTokens.Role role = tokens.roleOf(token).orElse(null);
    if (role == null) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"tasker\"");
      throw new ApiProblem(ProblemKind.UNAUTHORIZED, header == null
          ? "this request needs an Authorization: Bearer <token> header"
          : token == null ? "the Authorization header must be Bearer <token>; other schemes are not accepted"
          : "the bearer token is not one of the configured api_read_tokens or api_operate_tokens");
    }
    boolean reads = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    if (!reads && role != ApiTokens.Role.OPERATE) {
      throw new ApiProblem(ProblemKind.FORBIDDEN, ctx.method() + " " + path
          + " changes state and needs an operate token; this one is a read token");
    }
  }

  private void ready(Context ctx) {
    Readiness.Report report = sources.readiness().get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.ready() ? "up" : "down");
    body.put(report.ready() ? "checks" : "reasons", report.checks());
    ctx.status(report.ready() ? 200 : 503).json(body);
  }

  private void failed(Exception e, Context ctx) {
    if (e instanceof ApiProblem problem) {
      write(ctx, problem.kind, problem.getMessage(), problem.errors);
    } else if (e instanceof InvalidTaskContextException invalid) {
      write(ctx, ProblemKind.INVALID_CONTEXT, invalid.getMessage(), TaskRoutes.errorsOf(invalid));
    } else if (e instanceof UnknownTemplateException unknown) {
      write(ctx, ProblemKind.UNKNOWN_TEMPLATE, unknown.getMessage() + "; GET /v1/templates lists the known ones",
          List.of());
    } else if (e instanceof InvalidOperationException invalid) {
      write(ctx, invalid.isMissing() ? ProblemKind.NOT_FOUND : ProblemKind.OPERATION_NOT_APPLICABLE,
          invalid.getMessage(), List.of());
    } else if (e instanceof TaskerDatabaseException database && unreachable(database)) {
      ctx.header("Retry-After", "5");
      write(ctx, ProblemKind.DATABASE_UNAVAILABLE, "PostgreSQL cannot be reached: " + database.getMessage(), List.of());
    } else if (e instanceof HttpResponseException http && http.getStatus() == 413) {
      write(ctx, ProblemKind.PAYLOAD_TOO_LARGE, "the body is larger than " + JsonBodies.MAX_BODY_BYTES + " bytes",
          List.of());
    } else if (e instanceof HttpResponseException http && http.getStatus() < 500) {
      write(ctx, ProblemKind.INVALID_REQUEST, http.getMessage(), List.of());
    } else {
      log.error("HTTP {} {} failed", ctx.method(), ctx.path(), e);
      write(ctx, ProblemKind.INTERNAL, "the request failed inside the orchestrator ("
          + e.getClass().getSimpleName() + "); its log has the details", List.of());
    }
  }

  private static boolean unreachable(TaskerDatabaseException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
    }
    return false;
  }

  private static void unlessWritten(Context ctx, ProblemKind kind, String detail) {
    if (ctx.attribute(PROBLEM_WRITTEN) == null) {
      write(ctx, kind, detail, List.of());
    }
  }

  private static void write(Context ctx, ProblemKind kind, String detail, List<ApiProblem.FieldError> errors) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", kind.type());
    problem.put("title", kind.title);
    problem.put("status", kind.status);
    problem.put("detail", detail);
    problem.put("instance", ctx.path());
    if (!errors.isEmpty()) {
      problem.put("errors", errors);
    }
    ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
    ctx.status(kind.status).json(problem).contentType("application/problem+json");
  }
}
