package dev.tasker.orchestrator;

import dev.tasker.orchestrator.internal.creation.TaskInitializer;
import dev.tasker.orchestrator.internal.creation.TemplateStore;
import dev.tasker.orchestrator.internal.operations.OperatorActions;
import dev.tasker.orchestrator.internal.status.TaskQueries;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

  private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

  private final TemplateStore templates;
  private final TaskInitializer initializer;
  private final TaskQueries queries;
  private final OperatorActions operations;

  /**
   * @param dataSource the Tasker database (migrated)
   * @param registry templates known locally; may be empty
   */
  public TaskerClient(DataSource dataSource, TemplateRegistry registry) {
    this(dataSource, registry, () -> { });
  }

  /**
   * The orchestrator's own client: after a commit that created tasks it also wakes the dispatcher
   * directly, which the database notification (still sent, for other orchestrators) would do a
   * little later.
   */
  TaskerClient(DataSource dataSource, TemplateRegistry registry, Runnable created) {
    this.templates = new TemplateStore(dataSource, registry);
    this.initializer = new TaskInitializer(dataSource, templates, created);
    this.queries = new TaskQueries(dataSource);
    this.operations = new OperatorActions(dataSource);
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
    return initializer.initialize(List.of(request)).get(0);
  }

  /**
   * Creates many tasks in one transaction, set-based: a statement writes up to 1,000 tasks with
   * all their steps, edges and transitions, so this is the fast way to start a large number of
   * workflows. Each request is idempotent like {@link #initializeTask}; a request that repeats an
   * earlier one of the same list gets the same task.
   *
   * @return one entry per request, in the same order
   * @throws UnknownTemplateException when a template is neither loaded nor stored
   * @throws InvalidTaskContextException when a context violates its template's input_schema; the
   *     message names the request's position in the list, and nothing is stored
   * @throws TaskerDatabaseException when the database fails; nothing is stored
   */
  public List<CreatedTask> initializeTasks(List<TaskRequest> requests) {
    return initializer.initialize(List.copyOf(requests));
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

  /**
   * The orchestrators registered on this database, newest first (at most {@code limit}): running,
   * stopped, or silent (crashed; rows are forgotten a week after they stop beating).
   */
  public List<OrchestratorSnapshot> orchestrators(int limit) {
    return queries.orchestrators(limit);
  }

  /** Every worker recorded, with its last known state. */
  public List<WorkerSnapshot> workers() {
    return queries.workers();
  }

  /** The most recent reconciliation discrepancies, newest first, at most {@code limit}. */
  public List<Discrepancy> discrepancies(int limit) {
    return queries.discrepancies(limit);
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

  /**
   * Gives a step in error (a dead letter) a fresh set of attempts: it becomes pending with no
   * attempts used, its dead letter is closed as retried, and its task, if in error, is in progress
   * again.
   *
   * @param operator who asks, recorded with the transitions
   * @throws InvalidOperationException when the step does not exist or is not in error
   */
  public void retryStep(UUID stepId, String operator) {
    operations.retryStep(stepId, operator);
  }

  /**
   * Resolves a step by hand: it ends {@code resolved_manually} with {@code output} as its result,
   * which satisfies its dependents like a completion. Allowed for a pending, waiting or failed
   * step; a running step must finish (or its task be cancelled) first.
   *
   * @param output the step's output: a {@code Map}, a record, a POJO or a JSON node
   * @throws InvalidOperationException when the step does not exist or is in another state
   */
  public void resolveStep(UUID stepId, Object output, String operator) {
    operations.resolveStep(stepId, JSON.valueToTree(output), operator);
  }

  /**
   * Cancels a task: every step not finished is cancelled (results still arriving for them are
   * refused) and the task ends {@code cancelled}.
   *
   * @throws InvalidOperationException when the task does not exist or has already finished
   */
  public void cancelTask(UUID taskId, String operator) {
    operations.cancelTask(taskId, operator);
  }

  /**
   * Dead letters: steps that failed for good, oldest first.
   *
   * @param openOnly only those no operator has acted on
   * @param limit at most this many
   */
  public List<DeadLetter> deadLetters(boolean openOnly, int limit) {
    return operations.deadLetters(openOnly, limit);
  }

  /** Registers every locally loaded template in the database. */
  public void registerTemplates() {
    templates.registerAll();
  }
}
