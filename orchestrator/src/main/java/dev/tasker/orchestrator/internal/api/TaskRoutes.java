package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.CreatedTask;
import dev.tasker.orchestrator.InvalidTaskContextException;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.internal.api.ApiRequests.CreateTask;
import dev.tasker.orchestrator.internal.api.ApiRequests.CreateTasks;
import dev.tasker.orchestrator.internal.api.ApiViews.Created;
import dev.tasker.orchestrator.internal.api.ApiViews.CreatedList;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/tasks}: create, bulk create, list, get, cancel. */
final class TaskRoutes {

  /** Most tasks in one bulk create, as for {@link TaskerClient#initializeTasks}. */
  static final int MAX_BULK = 1000;

  private static final int MAX_NAME = 200;
  private static final int MAX_TEXT = 1000;

  private final TaskerClient client;
  private final ApiQueries queries;

  TaskRoutes(TaskerClient client, ApiQueries queries) {
    this.client = client;
    this.queries = queries;
  }

  void create(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    CreateTask body = JsonBodies.read(ctx, CreateTask.class, null);
    CreatedTask created = client.initializeTask(request("$", body));
    ctx.status(created.created() ? 201 : 200);
    if (created.created()) {
      ctx.header("Location", "/v1/tasks/" + created.taskId());
    }
    ctx.json(view(created));
  }

  void createMany(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    CreateTasks body = JsonBodies.read(ctx, CreateTasks.class, null);
    if (body.tasks() == null) {
      throw ApiProblem.invalid("$.tasks", "is required");
    }
    if (body.tasks().isEmpty()) {
      throw ApiProblem.invalid("$.tasks", "must hold at least one task");
    }
    if (body.tasks().size() > MAX_BULK) {
      throw new ApiProblem(ProblemKind.PAYLOAD_TOO_LARGE, "$.tasks holds " + body.tasks().size()
          + " tasks; at most " + MAX_BULK + " per request");
    }
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < body.tasks().size(); i++) {
      CreateTask task = body.tasks().get(i);
      if (task == null) {
        throw ApiProblem.invalid("$.tasks[" + i + "]", "must be an object");
      }
      requests.add(request("$.tasks[" + i + "]", task));
    }
    ctx.json(new CreatedList(client.initializeTasks(requests).stream().map(TaskRoutes::view).toList()));
  }

  void list(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of("state", "namespace", "name", "limit", "after"));
    List<String> states = null;
    String state = ctx.queryParam("state");
    if (state != null) {
      states = Arrays.stream(state.split(",")).map(String::trim).toList();
      for (String one : states) {
        if (Arrays.stream(TaskState.values()).noneMatch(s -> s.dbName().equals(one))) {
          throw new ApiProblem(ProblemKind.INVALID_REQUEST, "state '" + ApiRequests.abbreviate(one)
              + "' is not a task state; known: " + Arrays.stream(TaskState.values()).map(TaskState::dbName).toList(),
              List.of(new ApiProblem.FieldError("state", "is not a task state")));
        }
      }
    }
    UUID after = null;
    String afterText = ctx.queryParam("after");
    if (afterText != null) {
      try {
        after = UUID.fromString(afterText);
      } catch (IllegalArgumentException e) {
        throw new ApiProblem(ProblemKind.INVALID_REQUEST, "after must be the next cursor of a previous page (a UUID)"
            + " but was '" + ApiRequests.abbreviate(afterText) + "'",
            List.of(new ApiProblem.FieldError("after", "must be a UUID")));
      }
    }
    int limit = ApiRequests.intQueryParam(ctx, "limit", 50, 1, 500);
    ctx.json(queries.tasks(new ApiQueries.TaskFilter(states, blankToNull(ctx.queryParam("namespace")),
        blankToNull(ctx.queryParam("name")), after, limit)));
  }

  void get(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    UUID taskId = ApiRequests.uuidParam(ctx, "task_id");
    ctx.json(queries.task(taskId).orElseThrow(() -> new ApiProblem(ProblemKind.NOT_FOUND, "no task " + taskId)));
  }

  void cancel(Context ctx) {
    ApiRequests.onlyQueryParams(ctx, Set.of());
    UUID taskId = ApiRequests.uuidParam(ctx, "task_id");
    JsonBodies.read(ctx, ApiRequests.NoFields.class, new ApiRequests.NoFields());
    client.cancelTask(taskId, ApiServer.OPERATOR);
    ctx.json(queries.task(taskId).orElseThrow());
  }

  private static TaskRequest request(String at, CreateTask body) {
    String namespace = ApiRequests.text(at + ".namespace", body.namespace(), true, MAX_NAME);
    String name = ApiRequests.text(at + ".name", body.name(), true, MAX_NAME);
    JsonNode context = body.context();
    if (context != null && !context.isNull() && !context.isObject()) {
      throw ApiProblem.invalid(at + ".context", "must be a JSON object");
    }
    TaskRequest.Builder builder = TaskRequest.builder(namespace, name)
        .version(ApiRequests.text(at + ".version", body.version(), false, MAX_NAME))
        .idempotencyKey(ApiRequests.text(at + ".idempotency_key", body.idempotencyKey(), false, 255))
        .initiator(ApiRequests.text(at + ".initiator", body.initiator(), false, MAX_TEXT))
        .sourceSystem(ApiRequests.text(at + ".source_system", body.sourceSystem(), false, MAX_TEXT))
        .reason(ApiRequests.text(at + ".reason", body.reason(), false, MAX_TEXT));
    if (context != null && context.isObject()) {
      builder.context(context);
    }
    if (body.priority() != null) {
      builder.priority(body.priority());
    }
    return builder.build();
  }

  private static Created view(CreatedTask created) {
    return new Created(created.taskId(), created.created(), created.stepCount(), created.template());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The JSON paths of a context's violations: "$.order_id: is missing" gives "$.order_id". */
  static List<ApiProblem.FieldError> errorsOf(InvalidTaskContextException e) {
    return e.violations().stream().map(violation -> {
      int colon = violation.indexOf(": ");
      return violation.startsWith("$") && colon > 0
          ? new ApiProblem.FieldError("$.context" + violation.substring(1, colon), violation.substring(colon + 2))
          : new ApiProblem.FieldError("$.context", violation);
    }).toList();
  }
}
