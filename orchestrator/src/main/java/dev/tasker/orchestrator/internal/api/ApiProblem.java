package dev.tasker.orchestrator.internal.api;

import java.util.List;

/**
 * A request the API refuses: thrown by a handler, answered as {@code application/problem+json} by
 * {@link ApiServer}. Nothing was changed.
 */
final class ApiProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** One field at fault: a JSON path into the body or context ({@code $.order_id}), or a parameter. */
  record FieldError(String pointer, String message) {}

  final transient ProblemKind kind;
  final transient List<FieldError> errors;

  ApiProblem(ProblemKind kind, String detail) {
    this(kind, detail, List.of());
  }

  ApiProblem(ProblemKind kind, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.kind = kind;
    this.errors = List.copyOf(errors);
  }

  static ApiProblem invalid(String pointer, String message) {
    return new ApiProblem(ProblemKind.INVALID_REQUEST, pointer + " " + message, List.of(new FieldError(pointer, message)));
  }
}
