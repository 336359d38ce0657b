package dev.tasker.client;

import java.util.List;

/**
 * The API answered with an error: an RFC 9457 problem ({@code application/problem+json}, see
 * {@code docs/api.md}). A request answered with a problem changed nothing on the server. An error
 * answer that is not a problem (from a proxy, say) gets the type {@code about:blank}, its status
 * and the start of its body as detail.
 */
public final class TaskerApiException extends TaskerClientException {

  /** The prefix of every problem type the API defines. */
  public static final String TYPE_PREFIX = "urn:tasker:problem:";

  private static final long serialVersionUID = 1L;

  private final String type;
  private final String title;
  private final int status;
  private final String detail;
  private final String instance;
  private final List<ProblemError> errors;

  /**
   * A problem as answered.
   *
   * @param type the problem type, for example {@code urn:tasker:problem:not-found}
   * @param title a short summary of the type
   * @param status the HTTP status code
   * @param detail what is wrong in this request, or {@code null}
   * @param instance the path the request went to, or {@code null}
   * @param errors the fields at fault; empty when none are named
   */
  public TaskerApiException(
      String type, String title, int status, String detail, String instance, List<ProblemError> errors) {
    super(status + " " + type + ": " + (detail != null ? detail : title), null);
    this.type = type;
    this.title = title;
    this.status = status;
    this.detail = detail;
    this.instance = instance;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** The problem type, a URI such as {@code urn:tasker:problem:invalid-context}. */
  public String type() {
    return type;
  }

  /**
   * The problem type without {@link #TYPE_PREFIX}, for example {@code invalid-context}; the whole
   * type when it has another prefix.
   */
  public String kind() {
    return type != null && type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
  }

  /** A short summary of the problem type. */
  public String title() {
    return title;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** What is wrong in this request, or {@code null}. */
  public String detail() {
    return detail;
  }

  /** The request path the problem is about, or {@code null}. */
  public String instance() {
    return instance;
  }

  /** The fields at fault, each with a JSON path; empty when the problem names none. */
  public List<ProblemError> errors() {
    return errors;
  }
}
