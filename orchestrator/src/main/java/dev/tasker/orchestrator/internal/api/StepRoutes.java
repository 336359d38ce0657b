package dev.tasker.orchestrator.internal.api;

import dev.tasker.orchestrator.TaskerClient;
import io.javalin.http.Context;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/steps/{step_id}}: get, retry, resolve. */
final class StepRoutes {

  private final TaskerClient client;
  private final ApiQueries queries;

  StepRoutes(TaskerClient client, ApiQueries queries) {
    this.client = client;
    this.queries = queries;
  }

  void get(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    UUID stepId = ApiRequests.uuidParam(ctx, "step_id");
    ctx.json(found(stepId));
  }

  void retry(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    UUID stepId = ApiRequests.uuidParam(ctx, "step_id");
    JsonBodies.read(ctx, ApiRequests.NoFields.class, new ApiRequests.NoFields());
    client.retryStep(stepId, ApiServer.OPERATOR);
    ctx.json(found(stepId));
  }

  void resolve(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    UUID stepId = ApiRequests.uuidParam(ctx, "step_id");
    ApiRequests.ResolveStep body = JsonBodies.read(ctx, ApiRequests.ResolveStep.class, null);
    if (body.output() == null || body.output().isNull()) {
      throw ApiProblem.invalid("$.output", "is required: the step's result, a JSON object");
    }
    if (!body.output().isObject()) {
      throw ApiProblem.invalid("$.output", "must be a JSON object");
    }
    client.resolveStep(stepId, body.output(), ApiServer.OPERATOR);
    ctx.json(found(stepId));
  }

  private ApiViews.StepDetail found(UUID stepId) {
    return queries.step(stepId).orElseThrow(() -> new ApiProblem(ProblemKind.NOT_FOUND, "no step " + stepId));
  }
}
