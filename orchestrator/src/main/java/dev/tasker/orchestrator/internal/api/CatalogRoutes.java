package dev.tasker.orchestrator.internal.api;

import dev.tasker.orchestrator.DeadLetter;
import dev.tasker.orchestrator.StateCounts;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.WorkerSnapshot;
import dev.tasker.orchestrator.internal.api.ApiViews.Template;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Dead letters, workers, templates and the overview. */
final class CatalogRoutes {

  private final TaskerClient client;
  private final ApiQueries queries;
  private final Throughput throughput;

  CatalogRoutes(TaskerClient client, ApiQueries queries, Throughput throughput) {
    this.client = client;
    this.queries = queries;
    this.throughput = throughput;
  }

  void deadLetters(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of("open", "limit"));
    boolean open = ApiRequests.booleanQueryParam(ctx, "open", true);
    int limit = ApiRequests.intQueryParam(ctx, "limit", 100, 1, 500);
    ctx.json(new ApiViews.DeadLetterList(client.deadLetters(open, limit).stream().map(CatalogRoutes::view).toList()));
  }

  void workers(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    ctx.json(new ApiViews.WorkerList(client.workers().stream().map(CatalogRoutes::view).toList()));
  }

  void templates(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    ctx.json(new ApiViews.TemplateList(queries.templates(null, null).stream().map(ApiQueries::summary).toList()));
  }

  void template(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of("version"));
    String namespace = ctx.pathParam("namespace");
    String name = ctx.pathParam("name");
    String version = ctx.queryParam("version");
    List<Template> versions = queries.templates(namespace, name);
    Template template = versions.stream()
        .filter(t -> version == null || t.version().equals(version))
        .max((a, b) -> dev.tasker.orchestrator.TemplateRegistry.compareVersions(a.version(), b.version()))
        .orElseThrow(() -> new ApiProblem(ProblemKind.UNKNOWN_TEMPLATE, "no template " + namespace + "/" + name
            + (version == null ? "" : ":" + version) + (versions.isEmpty() ? "" : "; stored versions: "
            + versions.stream().map(Template::version).toList())));
    ctx.json(template);
  }

  void overview(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    StateCounts counts = client.counts();
    Map<String, Long> tasks = new TreeMap<>();
    counts.tasks().forEach((state, n) -> tasks.put(state.dbName(), n));
    Map<String, Long> steps = new TreeMap<>();
    counts.steps().forEach((state, n) -> steps.put(state.dbName(), n));
    Map<String, Long> workers = client.workers().stream()
        .collect(Collectors.groupingBy(WorkerSnapshot::state, TreeMap::new, Collectors.counting()));
    ctx.json(new ApiViews.Overview(tasks, steps, workers, throughput.lastMinutes()));
  }

  private static ApiViews.DeadLetter view(DeadLetter d) {
    return new ApiViews.DeadLetter(d.deadLetterId(), d.stepId(), d.taskId(), d.stepName(), d.reason(), d.attempts(),
        d.lastError(), d.createdAt(), d.resolvedAt(), d.resolution());
  }

  private static ApiViews.Worker view(WorkerSnapshot w) {
    return new ApiViews.Worker(w.workerId(), w.language(), w.sdkVersion(), w.state(), w.handlers(), w.concurrency(),
        w.lastHeartbeatAt());
  }
}
