package dev.tasker.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.TaskRequest;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.schema.DatabaseSettings;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Three orchestrator processes and four worker processes (two Java, two Ruby, each given every
 * orchestrator's endpoint) on one durable PostgreSQL, through 5,000 tasks (single-step and
 * diamond), while orchestrators and workers are killed with SIGKILL at random and started again
 * (never every orchestrator at once). Every task must complete, no step result may be applied
 * twice, no step may be left unfinished. Needs Ruby with ffi-rzmq and concurrent-ruby, as
 * {@code ./tasker test} installs them.
 */
class ClusterIT {

  private static final int TASKS = 5000;
  private static final int CHUNK = 100;
  private static final int MAX_UNFINISHED = 1200;
  private static final int KILLS_EACH = 3;
  /** Steps of the whole run: half the tasks have one step, half four. */
  private static final long STEPS = TASKS / 2 + TASKS / 2 * 4L;
  private static final Duration PROGRESS = Duration.ofSeconds(60);
  private static final Duration RESTART_AFTER = Duration.ofMillis(1500);
  private static final Duration FINISH = Duration.ofSeconds(120);
  private static final Path RUBY_WORKER = Path.of("..", "ruby-worker").toAbsolutePath().normalize();
  private static final String SINGLE_STEP_TEMPLATE = """
      name: single_square
      namespace_name: cluster
      version: 1.0.0
      description: one step, the diamond's first (served by the Java and the Ruby workers)
      steps:
        - name: square
          handler:
            callable: diamond.start
          retry: {max_attempts: 5, backoff_base_ms: 100, max_backoff_ms: 1000}
          timeout_seconds: 10
      """;

  @Test
  void three_orchestrators_and_four_workers_killed_at_random_finish_every_task_applying_each_result_once()
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path logs = Path.of("target", "cluster-it").toAbsolutePath();
    try (ChaosPostgres postgres = ChaosPostgres.start()) {
      DatabaseSettings database = postgres.createDatabase("cluster_it");
      try (HikariDataSource pool = ConnectionPools.open(database, 4, "cluster-it");
          Cluster cluster = new Cluster(database, logs, templates())) {
        TaskerClient client = new TaskerClient(pool, TemplateRegistry.empty());
        for (int i = 0; i < 3; i++) {
          cluster.addOrchestrator();
        }
        for (int i = 0; i < 3; i++) {
          cluster.startOrchestrator(i);
        }
        cluster.addJavaWorker("cluster-java-1", "examples", 8);
        cluster.addJavaWorker("cluster-java-2", "examples", 8);
        cluster.addWorkerCommand("cluster-ruby-1", rubyWorker("cluster-ruby-1", cluster.endpoints()));
        cluster.addWorkerCommand("cluster-ruby-2", rubyWorker("cluster-ruby-2", cluster.endpoints()));
        for (int i = 0; i < cluster.workerCount(); i++) {
          cluster.startWorker(i);
        }
        awaitCondition("every worker registered; logs in " + logs, Duration.ofSeconds(60),
            () -> count(pool, "SELECT count(*) FROM tasker.workers WHERE state = 'active'") == cluster.workerCount());

        long started = System.nanoTime();
        List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> submitted = CompletableFuture.runAsync(() -> submit(client, ids));
        int orchestratorKills = 0;
        int workerKills = 0;
        // The kills are spread over the run at fixed counts of completed steps, the last one with a
        // quarter of the run still to go: waiting for a number of steps since the last kill could
        // outlast the workload on a fast machine.
        int kills = 2 * KILLS_EACH;
        while (orchestratorKills < KILLS_EACH || workerKills < KILLS_EACH) {
          long killAt = STEPS * 3 / 4 * (orchestratorKills + workerKills + 1) / kills;
          awaitProgress(pool, killAt, logs);
          boolean orchestrator = orchestratorKills < KILLS_EACH && (workerKills >= KILLS_EACH || random.nextBoolean());
          int victim = random.nextInt(orchestrator ? cluster.orchestratorCount() : cluster.workerCount());
          if (orchestrator) {
            cluster.killOrchestrator(victim);
            orchestratorKills++;
          } else {
            cluster.killWorker(victim);
            workerKills++;
          }
          // A while without it: until the others have carried on, or RESTART_AFTER at most.
          long dead = completeSteps(pool);
          awaitQuietly(RESTART_AFTER, () -> completeSteps(pool) >= dead + 50);
          if (orchestrator) {
            cluster.startOrchestrator(victim);
          } else {
            cluster.startWorker(victim);
          }
        }
        submitted.get();
        awaitProgress(pool, STEPS, logs);
        if (!awaitQuietly(FINISH, () -> unfinished(client, ids) == 0)) {
          throw new AssertionError("tasks unfinished " + FINISH.toSeconds() + " s after every step completed; logs in "
              + logs + "\n" + diagnostics(pool));
        }
        long elapsedMs = Duration.ofNanos(System.nanoTime() - started).toMillis();

        Map<TaskState, Long> states = client.statesOf(ids);
        long appliedTwice = count(pool, """
            SELECT count(*) FROM (SELECT step_id, attempt FROM tasker.step_execution_batch_received_results
                                   WHERE outcome = 'applied' AND step_id IS NOT NULL
                                   GROUP BY step_id, attempt HAVING count(*) > 1) twice
            """);
        long notCompletedOnce = count(pool, """
            SELECT count(*) FROM tasker.workflow_steps s
             WHERE (SELECT count(*) FROM tasker.workflow_step_transitions t
                     WHERE t.step_id = s.step_id AND t.to_state = 'complete') <> 1
            """);
        long stuck = count(pool,
            "SELECT count(*) FROM tasker.workflow_steps WHERE state IN ('pending', 'in_progress', 'waiting_for_retry')");
        long steps = count(pool, "SELECT count(*) FROM tasker.workflow_steps");
        System.out.println("cluster: seed=" + seed + " tasks=" + ids.size() + " complete="
            + states.getOrDefault(TaskState.COMPLETE, 0L) + " steps=" + steps + " orchestrators=3 workers=2java+2ruby"
            + " orchestrator_kills=" + orchestratorKills + " worker_kills=" + workerKills + " applied_twice=" + appliedTwice
            + " not_completed_once=" + notCompletedOnce + " stuck=" + stuck + " requeued=" + text(pool, """
                SELECT string_agg(reason || '=' || n, ' ' ORDER BY reason)
                  FROM (SELECT metadata->>'reason' AS reason, count(*) AS n FROM tasker.workflow_step_transitions
                         WHERE to_state = 'pending' AND metadata->>'reason' IS NOT NULL GROUP BY 1) r
                """) + " rejected_results=" + count(pool,
                "SELECT count(*) FROM tasker.step_execution_batch_received_results WHERE outcome = 'rejected'")
            + " elapsed_ms=" + elapsedMs + " logs=" + logs);

        assertThat(ids).hasSize(TASKS);
        assertThat(states.getOrDefault(TaskState.COMPLETE, 0L)).as("complete tasks, of %s", states).isEqualTo(TASKS);
        assertThat(steps).isEqualTo(STEPS);
        assertThat(appliedTwice).as("(step, attempt) pairs with two applied results").isZero();
        assertThat(notCompletedOnce).as("steps without exactly one transition to complete").isZero();
        assertThat(stuck).as("steps left pending, in progress or waiting for a retry").isZero();
        assertThat(orchestratorKills).isGreaterThanOrEqualTo(KILLS_EACH);
        assertThat(workerKills).isGreaterThanOrEqualTo(KILLS_EACH);
      }
    }
  }

  /** Creates the tasks in chunks, half single-step and half diamonds, keeping at most MAX_UNFINISHED open. */
  private static void submit(TaskerClient client, List<UUID> ids) {
    for (int chunk = 0; chunk < TASKS / CHUNK; chunk++) {
      awaitCondition("fewer than " + MAX_UNFINISHED + " unfinished tasks", PROGRESS,
          () -> unfinished(client, ids) < MAX_UNFINISHED);
      List<TaskRequest> requests = new ArrayList<>();
      for (int i = chunk * CHUNK; i < (chunk + 1) * CHUNK; i++) {
        Map<String, Object> context = Map.of("even_number", 2 + 2 * (i % 6), "index", i);
        requests.add(i % 2 == 0
            ? TaskRequest.builder("cluster", "single_square").context(context).build()
            : TaskRequest.builder("diamond_workflow", "parallel_computation").context(context).build());
      }
      client.initializeTasks(requests).forEach(created -> ids.add(created.taskId()));
    }
  }

  private static long unfinished(TaskerClient client, List<UUID> ids) {
    List<UUID> copy;
    synchronized (ids) {
      copy = List.copyOf(ids);
    }
    if (copy.isEmpty()) {
      return 0;
    }
    Map<TaskState, Long> states = client.statesOf(copy);
    return states.getOrDefault(TaskState.PENDING, 0L) + states.getOrDefault(TaskState.IN_PROGRESS, 0L);
  }

  private static List<String> rubyWorker(String workerId, List<String> endpoints) {
    List<String> command = new ArrayList<>(List.of("ruby", RUBY_WORKER.resolve("bin/tasker-worker").toString(),
        "--require", RUBY_WORKER.resolve("examples/diamond.rb").toString(), "--worker-id", workerId,
        "--concurrency", "8"));
    for (String endpoint : endpoints) {
      command.addAll(List.of("--endpoint", endpoint));
    }
    return command;
  }

  private static Path templates() throws Exception {
    Path directory = Files.createTempDirectory("tasker-cluster-templates");
    try (InputStream diamond = ClusterIT.class.getClassLoader().getResourceAsStream("templates/diamond.yaml")) {
      Files.write(directory.resolve("diamond.yaml"), diamond.readAllBytes());
    }
    Files.writeString(directory.resolve("single_square.yaml"), SINGLE_STEP_TEMPLATE);
    return directory;
  }

  /** What the database says about unfinished work, for a failure message. */
  private static String diagnostics(HikariDataSource pool) {
    return "steps by state: " + text(pool, """
        SELECT string_agg(state || '=' || n, ' ') FROM (SELECT state, count(*) AS n FROM tasker.workflow_steps
                                                        GROUP BY state) s""")
        + "\nunfinished steps (state, attempts, current batch's orchestrator, worker, batch age): " + text(pool, """
        SELECT string_agg(line, E'\n') FROM (
          SELECT s.state || ' attempts=' || s.attempts || ' ' || coalesce(b.orchestrator_id, '-') || ' '
                 || coalesce(b.worker_id, '-') || ' ' || coalesce((now() - b.created_at)::text, '-') AS line
            FROM tasker.workflow_steps s
            LEFT JOIN tasker.step_execution_batch_steps bs ON bs.step_id = s.step_id AND bs.attempt = s.attempts
            LEFT JOIN tasker.step_execution_batches b ON b.batch_id = bs.batch_id
           WHERE s.state NOT IN ('complete') LIMIT 20) l""")
        + "\nworkers: " + text(pool, """
        SELECT string_agg(worker_id || ' ' || state || ' heard ' || (now() - last_heartbeat_at)::text, '; ')
          FROM tasker.workers""")
        + "\norchestrators: " + text(pool, """
        SELECT string_agg(orchestrator_id || ' ' || endpoints::text || ' beat ' || (now() - heartbeat_at)::text
                          || CASE WHEN stopped_at IS NULL THEN '' ELSE ' stopped' END, '; ') FROM tasker.orchestrators""");
  }

  /**
   * Waits until {@code target} steps are complete; fails, with the database's view, when no step
   * completes for {@link #PROGRESS}.
   */
  private static void awaitProgress(HikariDataSource pool, long target, Path logs) {
    while (true) {
      long before = completeSteps(pool);
      if (before >= target) {
        return;
      }
      if (!awaitQuietly(PROGRESS, () -> completeSteps(pool) > before)) {
        throw new AssertionError("no step completed for " + PROGRESS.toSeconds() + " s, at " + before + " of " + target
            + " complete steps; logs in " + logs + "\n" + diagnostics(pool));
      }
    }
  }

  private static long completeSteps(HikariDataSource pool) {
    return count(pool, "SELECT count(*) FROM tasker.workflow_steps WHERE state = 'complete'");
  }

  private static long count(HikariDataSource pool, String sql) {
    return ((Number) value(pool, sql)).longValue();
  }

  private static String text(HikariDataSource pool, String sql) {
    return String.valueOf(value(pool, sql));
  }

  private static Object value(HikariDataSource pool, String sql) {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Polls {@code condition} every 50 ms; fails naming {@code what} when {@code timeout} passes first. */
  private static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    if (!awaitQuietly(timeout, condition)) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
    }
  }

  /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes; whether it held. */
  private static boolean awaitQuietly(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return true;
  }
}
