package dev.tasker.cli.conformance;

import static dev.tasker.cli.conformance.ConformanceFailure.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.cli.conformance.KitOrchestrator.Received;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One scenario against one worker process: the kit's ROUTER, the process, and helpers to build
 * steps and collect what a batch produced.
 */
final class ScenarioRun implements AutoCloseable {

  /** What one batch produced. */
  record BatchOutcome(
      StepBatchRequest batch,
      List<PartialResult> terminal,
      List<PartialResult> allPartials,
      BatchCompletion completion,
      int partialsAfterCompletion,
      List<Received> others) {

    PartialResult resultOf(StepExecutionRequest step) {
      return terminal.stream().filter(p -> p.stepId().equals(step.stepId())).findFirst()
          .orElseThrow(() -> new ConformanceFailure("no result for step " + step.stepName()));
    }
  }

  static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);
  static final Duration BATCH_TIMEOUT = Duration.ofSeconds(15);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  final KitOrchestrator kit;
  final WorkerProcess worker;
  final String encoding;
  final Hello hello;
  private final List<String> command;
  private final Path logDirectory;
  private final String name;
  private final KitCurve curve;
  private final List<ScenarioRun> others = new ArrayList<>();

  private ScenarioRun(List<String> command, String encoding, Path logDirectory, String name, KitCurve curve) {
    this.command = command;
    this.encoding = encoding;
    this.logDirectory = logDirectory;
    this.name = name;
    this.curve = curve;
    kit = new KitOrchestrator(curve);
    worker = WorkerProcess.start(command, kit.endpoint(), logDirectory.resolve(name + ".log"), curve, true);
    try {
      hello = kit.awaitHello(HELLO_TIMEOUT);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the worker and waits for its HELLO.
   *
   * @param curve the run's keys, the worker getting the authorized one; {@code null} for no CURVE
   */
  static ScenarioRun start(List<String> command, String encoding, Path logDirectory, String name, KitCurve curve) {
    return new ScenarioRun(command, encoding, logDirectory, name, curve);
  }

  /** A second worker process for the same scenario, closed with this one. */
  ScenarioRun another(String suffix) {
    ScenarioRun other = new ScenarioRun(command, encoding, logDirectory, name + "-" + suffix, curve);
    others.add(other);
    return other;
  }

  /** Welcomes the worker in the scenario's encoding with the kit's heartbeat interval. */
  void welcome() {
    welcome(hello, KitOrchestrator.DEFAULT_HEARTBEAT_MS);
  }

  void welcome(Hello answered, long heartbeatMs) {
    check(answered.protocolVersions().contains(ProtocolVersion.CURRENT),
        "HELLO.protocol_versions " + answered.protocolVersions() + " does not offer version 1");
    check(answered.encodings().contains(encoding),
        "the worker does not offer encoding " + encoding + " (HELLO.encodings " + answered.encodings() + ")");
    kit.welcome(answered, encoding, heartbeatMs);
  }

  /** A step of a new task with attempt 1 of 3 and a 30 s timeout. */
  static StepExecutionRequest step(String stepName, String handler, ObjectNode taskContext) {
    return step(stepName, handler, taskContext, JSON.objectNode(), Map.of(), 1, 3);
  }

  static StepExecutionRequest step(String stepName, String handler, ObjectNode taskContext, ObjectNode config,
      Map<String, JsonNode> previousResults, int attempt, int maxAttempts) {
    return new StepExecutionRequest(Ids.newId(), Ids.newId(), stepName, handler, config, taskContext,
        new LinkedHashMap<>(previousResults), new StepMetadata(attempt, maxAttempts, 30_000));
  }

  static ObjectNode context() {
    return JSON.objectNode();
  }

  static ObjectNode sleepFor(long millis) {
    return JSON.objectNode().put("sleep_ms", millis);
  }

  /** Sends a batch of {@code steps}. */
  StepBatchRequest send(List<StepExecutionRequest> steps) {
    StepBatchRequest batch = new StepBatchRequest(Ids.newId(), ProtocolVersion.CURRENT, steps);
    kit.send(batch);
    return batch;
  }

  StepBatchRequest send(StepExecutionRequest... steps) {
    return send(List.of(steps));
  }

  /** Collects the batch's results until its completion and a terminal result of every step. */
  BatchOutcome await(StepBatchRequest batch) {
    return await(batch, BATCH_TIMEOUT);
  }

  BatchOutcome await(StepBatchRequest batch, Duration timeout) {
    return collect(List.of(batch), timeout).get(0);
  }

  /** Collects the results of several batches sent at once. */
  List<BatchOutcome> collect(List<StepBatchRequest> batches, Duration timeout) {
    Map<UUID, List<PartialResult>> partials = new LinkedHashMap<>();
    Map<UUID, BatchCompletion> completions = new LinkedHashMap<>();
    Map<UUID, Integer> afterCompletion = new LinkedHashMap<>();
    batches.forEach(b -> {
      partials.put(b.batchId(), new ArrayList<>());
      afterCompletion.put(b.batchId(), 0);
    });
    List<Received> unrelated = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!complete(batches, partials, completions)) {
      long left = deadline - System.nanoTime();
      Received received = left > 0 ? kit.next(Duration.ofNanos(left)) : null;
      if (received == null) {
        throw new ConformanceFailure(progress(batches, partials, completions, timeout, unrelated));
      }
      check(received.problem() == null, "the worker sent an " + received);
      if (received.message() instanceof PartialResult partial && partials.containsKey(partial.batchId())) {
        partials.get(partial.batchId()).add(partial);
        if (completions.containsKey(partial.batchId())) {
          afterCompletion.merge(partial.batchId(), 1, Integer::sum);
        }
      } else if (received.message() instanceof BatchCompletion completion
          && partials.containsKey(completion.batchId())) {
        check(!completions.containsKey(completion.batchId()),
            "two BATCH_COMPLETIONs for batch " + completion.batchId() + " without a new session");
        completions.put(completion.batchId(), completion);
      } else {
        unrelated.add(received);
      }
    }
    List<BatchOutcome> outcomes = new ArrayList<>();
    for (StepBatchRequest batch : batches) {
      List<PartialResult> all = partials.get(batch.batchId());
      List<PartialResult> terminal = all.stream().filter(p -> p.status().isTerminal()).toList();
      outcomes.add(new BatchOutcome(batch, terminal, all, completions.get(batch.batchId()),
          afterCompletion.get(batch.batchId()), unrelated));
    }
    return outcomes;
  }

  private static boolean complete(List<StepBatchRequest> batches, Map<UUID, List<PartialResult>> partials,
      Map<UUID, BatchCompletion> completions) {
    for (StepBatchRequest batch : batches) {
      if (!completions.containsKey(batch.batchId())) {
        return false;
      }
      long ended = partials.get(batch.batchId()).stream().filter(p -> p.status().isTerminal())
          .map(PartialResult::stepId).distinct().count();
      if (ended < batch.steps().size()) {
        return false;
      }
    }
    return true;
  }

  private static String progress(List<StepBatchRequest> batches, Map<UUID, List<PartialResult>> partials,
      Map<UUID, BatchCompletion> completions, Duration timeout, List<Received> unrelated) {
    int steps = batches.stream().mapToInt(b -> b.steps().size()).sum();
    long ended = partials.values().stream().flatMap(List::stream).filter(p -> p.status().isTerminal())
        .map(PartialResult::stepId).distinct().count();
    return "after " + timeout.toSeconds() + " s: results for " + ended + " of " + steps + " steps, "
        + completions.size() + " of " + batches.size() + " batch completions"
        + (unrelated.isEmpty() ? "" : ", other messages " + unrelated);
  }

  String language() {
    return hello.language();
  }

  @Override
  public void close() {
    others.forEach(ScenarioRun::close);
    if (worker.alive()) {
      worker.terminate();
      kit.seeOff(() -> !worker.alive(), Duration.ofSeconds(3));
    }
    worker.close();
    kit.close();
  }
}
