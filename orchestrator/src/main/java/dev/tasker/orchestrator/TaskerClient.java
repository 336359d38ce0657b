package dev.tasker.orchestrator;

import dev.tasker.orchestrator.internal.creation.TaskInitializer;
import dev.tasker.orchestrator.internal.creation.TemplateStore;
import dev.tasker.orchestrator.internal.status.TaskQueries;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Creates tasks and reads their status. Needs only the database: it works in the orchestrator's
 * process and in any other (the orchestrator is woken by a PostgreSQL notification when a task is
 * created). Templates come from the given registry, else from those an orchestrator stored.
 * Thread-safe.
 */
public final class TaskerClient {

  private final TemplateStore templates;
  private final TaskInitializer initializer;
  private final TaskQueries queries;

  /**
   * @param dataSource the Tasker database (migrated)
   * @param registry templates known locally; may be empty
   */
  public TaskerClient(DataSource dataSource, TemplateRegistry registry) {
    this.templates = new TemplateStore(dataSource, registry);
    this.initializer = new TaskInitializer(dataSource, templates);
    this.queries = new TaskQueries(dataSource);
  }

  /**
   * Creates a task, its steps and their dependencies in one transaction. Creating the same task
   * again (same template and context, or same idempotency key) returns the existing one with
   * {@link CreatedTask#created()} false.
   *
   * @throws UnknownTemplateException when the template is neither loaded nor stored
   * @throws InvalidTaskContextException when the context violates the template's input_schema
   * @throws TaskerDatabaseException when the database fails; nothing is stored
   */
  public CreatedTask initializeTask(TaskRequest request) {
    return initializer.initialize(request);
  }

  /** A task and its steps, if it exists. */
  public Optional<TaskSnapshot> task(UUID taskId) {
    return queries.task(taskId);
  }

  /** How many tasks and steps are in each state. */
  public StateCounts counts() {
    return queries.counts();
  }

  /** How many of {@code taskIds} are in each state (states with none are absent). */
  public Map<TaskState, Long> statesOf(Collection<UUID> taskIds) {
    return queries.statesOf(taskIds);
  }

  /** Every worker recorded, with its last known state. */
  public List<WorkerSnapshot> workers() {
    return queries.workers();
  }

  /** Batches by state and reconciliation status, and the discrepancy count. */
  public BatchCounts batchCounts() {
    return queries.batchCounts();
  }

  /**
   * Waits until none of {@code taskIds} is pending or in progress, checking every {@code
   * pollInterval}.
   *
   * @return {@code false} when {@code timeout} passed first
   */
  public boolean awaitFinished(Collection<UUID> taskIds, Duration timeout, Duration pollInterval)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (queries.unfinished(taskIds) == 0) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** Registers every locally loaded template in the database. */
  public void registerTemplates() {
    templates.registerAll();
  }
}
