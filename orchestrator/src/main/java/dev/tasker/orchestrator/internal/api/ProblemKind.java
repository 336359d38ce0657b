package dev.tasker.orchestrator.internal.api;

/** The kinds of RFC 9457 problem the API answers with; docs/api.md lists them. */
enum ProblemKind {
  MALFORMED_JSON(400, "Request body is not valid JSON"),
  INVALID_REQUEST(400, "Request is invalid"),
  INVALID_CONTEXT(422, "Task context is invalid"),
  UNKNOWN_TEMPLATE(404, "Template not found"),
  NOT_FOUND(404, "Not found"),
  OPERATION_NOT_APPLICABLE(409, "Operation does not apply in the current state"),
  PAYLOAD_TOO_LARGE(413, "Request is too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Request body must be application/json"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  UNAUTHORIZED(401, "Authentication required"),
  FORBIDDEN(403, "Token lacks the operate role"),
  DATABASE_UNAVAILABLE(503, "Database unavailable"),
  INTERNAL(500, "Internal error");

  final int status;
  final String title;

  ProblemKind(int status, String title) {
    this.status = status;
    this.title = title;
  }

  /** {@code urn:tasker:problem:invalid-context} and so on. */
  String type() {
    return "urn:tasker:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
