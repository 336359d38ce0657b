package dev.tasker.orchestrator.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Request bodies and the checks on path and query parameters. */
final class ApiRequests {

  private ApiRequests() {}

  /** {@code POST /v1/tasks}, and each entry of a bulk create. */
  record CreateTask(String namespace, String name, String version, JsonNode context, Integer priority,
      String idempotencyKey, String initiator, String sourceSystem, String reason) {}

  /** {@code POST /v1/tasks/bulk}. */
  record CreateTasks(List<CreateTask> tasks) {}

  /** {@code POST /v1/steps/{step_id}/resolve}. */
  record ResolveStep(JsonNode output) {}

  /** The body of an action that takes none: empty, or {@code {}}. */
  record NoFields() {}

  static UUID uuidParam(Context ctx, String name) {
    String value = ctx.pathParam(name);
    try {
      UUID id = UUID.fromString(value);
      if (id.toString().equalsIgnoreCase(value)) {
        return id;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the problem
    }
    throw new ApiProblem(ProblemKind.INVALID_REQUEST, name + " must be a UUID but was '" + abbreviate(value) + "'",
        List.of(new ApiProblem.FieldError(name, "must be a UUID")));
  }

  /** Refuses query parameters the route does not know, so a misspelt filter is never ignored. */
  static void onlyQueryParams(Context ctx, Set<String> known) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!known.contains(name)) {
        throw new ApiProblem(ProblemKind.INVALID_REQUEST, "query parameter '" + abbreviate(name)
            + "' is not known here; known: " + known.stream().sorted().toList(),
            List.of(new ApiProblem.FieldError(name, "is not a known query parameter")));
      }
    }
  }

  static int intQueryParam(Context ctx, String name, int defaultValue, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // fall through to the problem
    }
    throw new ApiProblem(ProblemKind.INVALID_REQUEST, name + " must be a whole number from " + min + " to " + max
        + " but was '" + abbreviate(value) + "'", List.of(new ApiProblem.FieldError(name, "must be " + min + "-" + max)));
  }

  static boolean booleanQueryParam(Context ctx, String name, boolean defaultValue) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new ApiProblem(ProblemKind.INVALID_REQUEST, name + " must be true or false but was '" + abbreviate(value)
        + "'", List.of(new ApiProblem.FieldError(name, "must be true or false")));
  }

  /** A required text field: present, not blank, at most {@code max} characters. */
  static String text(String pointer, String value, boolean required, int max) {
    if (value == null) {
      if (required) {
        throw ApiProblem.invalid(pointer, "is required");
      }
      return null;
    }
    if (value.isBlank()) {
      throw ApiProblem.invalid(pointer, "must not be blank");
    }
    if (value.length() > max) {
      throw ApiProblem.invalid(pointer, "must be at most " + max + " characters but has " + value.length());
    }
    return value;
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
