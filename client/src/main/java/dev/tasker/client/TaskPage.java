package dev.tasker.client;

import java.util.List;
import java.util.Optional;

/**
 * A page of tasks, newest first.
 *
 * @param tasks the tasks on this page
 * @param next the cursor for the next page, or {@code null} on the last page
 */
public record TaskPage(List<TaskSummary> tasks, String next) {

  /** A missing list becomes an empty one. */
  public TaskPage {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /** The page after this one, of the same size as {@code current}; empty on the last page. */
  public Optional<Page> nextPage(Page current) {
    return next == null ? Optional.empty() : Optional.of(new Page(current.limit(), next));
  }
}
