package dev.tasker.client;

/**
 * Which tasks {@link TaskerHttpClient#tasks} lists; a {@code null} field does not filter.
 *
 * @param state only tasks in this state, for example {@code error}
 * @param namespace only tasks of templates in this namespace
 * @param name only tasks of templates with this name
 */
public record TaskFilter(String state, String namespace, String name) {

  /** Every task. */
  public static TaskFilter all() {
    return new TaskFilter(null, null, null);
  }

  /** This filter, also by {@code state}. */
  public TaskFilter withState(String state) {
    return new TaskFilter(state, namespace, name);
  }

  /** This filter, also by template namespace and name ({@code name} may be {@code null}). */
  public TaskFilter withTemplate(String namespace, String name) {
    return new TaskFilter(state, namespace, name);
  }
}
