package dev.tasker.cli.conformance;

import static dev.tasker.cli.conformance.ConformanceFailure.check;
import static dev.tasker.cli.conformance.ScenarioRun.context;
import static dev.tasker.cli.conformance.ScenarioRun.sleepFor;
import static dev.tasker.cli.conformance.ScenarioRun.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tasker.cli.conformance.ScenarioRun.BatchOutcome;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepError;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepStatus;
import dev.tasker.protocol.StepSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Scenarios about running steps and reporting their results. */
final class StepScenarios {

  static final String ECHO = "conformance.echo";
  static final String SLEEP = "conformance.sleep";
  static final String RETRYABLE = "conformance.retryable";
  static final String PERMANENT = "conformance.permanent";
  static final String RAISE = "conformance.raise";
  static final List<String> HANDLERS = List.of(ECHO, SLEEP, RETRYABLE, PERMANENT, RAISE);

  private StepScenarios() {}

  static List<Scenario> all() {
    return List.of(
        new Scenario("sequence_numbers",
            "a batch's partial results carry sequence numbers 1, 2, 3, ... in sending order, one terminal "
                + "result per step, echoing the attempt, batch id and worker id",
            StepScenarios::sequenceNumbers),
        new Scenario("payload_fidelity",
            "task context, handler config and previous results reach the handler unchanged (unicode, "
                + "64-bit and larger integers, fractions, nulls, nesting) and the output comes back unchanged",
            StepScenarios::payloadFidelity),
        new Scenario("batch_completion",
            "the completion follows the batch's last partial result and agrees with the partials: counts, "
                + "one summary per step with the same status, attempt, output and error",
            StepScenarios::batchCompletion),
        new Scenario("step_errors",
            "retryable, retry-after, permanent and raised errors are reported with the right retryable flag, "
                + "error type, message and retry_after_ms",
            StepScenarios::stepErrors),
        new Scenario("unknown_handler",
            "a step whose handler the worker does not serve fails permanently with error_type unknown_handler, "
                + "and the rest of its batch still runs",
            StepScenarios::unknownHandler),
        new Scenario("credit",
            "the steps of a batch run concurrently, and never more at once than the worker's credit, even when "
                + "twice the credit is sent at once",
            StepScenarios::credit));
  }

  private static String sequenceNumbers(ScenarioRun run) {
    run.welcome();
    long[] sleeps = {300, 40, 180, 0, 100};
    List<StepExecutionRequest> steps = new ArrayList<>();
    for (int i = 0; i < sleeps.length; i++) {
      steps.add(step("sleep_" + i, SLEEP, sleepFor(sleeps[i]), context(), Map.of(), i + 1, sleeps.length)); 
    }
    BatchOutcome outcome = run.await(run.send(steps));

    List<Long> sequences = outcome.allPartials().stream().map(PartialResult::sequence).toList();
    for (int i = 0; i < sequences.size(); i++) {
      check(sequences.get(i) == i + 1, "partial results arrived with sequence numbers " + sequences
          + "; expected 1, 2, 3, ... in arrival order");
    }
    check(outcome.terminal().size() == steps.size(), outcome.terminal().size() + " terminal partial results for "
        + steps.size() + " steps; expected exactly one per step");
    for (StepExecutionRequest step : steps) {
      PartialResult result = outcome.resultOf(step);
      check(result.status() == StepStatus.COMPLETED, step.stepName() + " ended " + result.status().wireName()
          + (result.error() == null ? "" : ": " + result.error().message()));
      check(result.attempt() == step.metadata().attempt(), step.stepName() + " reported attempt " + result.attempt()
          + " but was sent attempt " + step.metadata().attempt());
      check(result.workerId().equals(run.hello.workerId()), "worker_id " + result.workerId()
          + " differs from the HELLO's " + run.hello.workerId());
      long slept = step.taskContext().get("sleep_ms").asLong();
      check(result.executionTimeMs() >= slept * 8 / 10, step.stepName() + " slept " + slept
          + " ms but reported execution_time_ms " + result.executionTimeMs());
    }
    List<String> finishOrder = outcome.terminal().stream()
        .map(p -> steps.stream().filter(s -> s.stepId().equals(p.stepId())).findFirst().orElseThrow().stepName())
        .toList();

    // Sequence numbers count per batch: a second batch starts again at 1.
    BatchOutcome second = run.await(run.send(step("echo_0", ECHO, context()), step("echo_1", ECHO, context())));
    List<Long> secondSequences = second.allPartials().stream().map(PartialResult::sequence).toList();
    check(secondSequences.equals(List.of(1L, 2L)), "the second batch's partial results arrived with sequence"
        + " numbers " + secondSequences + "; sequence numbers count per batch, from 1");
    return "sequence 1.." + sequences.size() + " in arrival order, 1..2 in the next batch; steps finished as "
        + finishOrder;
  }

  private static String payloadFidelity(ScenarioRun run) {
    run.welcome();
    ObjectNode taskContext = Json.object("""
        {"text": "Grüße, 世界 🚚 \\"quoted\\"\\n\\ttab \\\\ slash",
         "int64_max": 9223372036854775807, "int64_min": -9223372036854775808,
         "beyond_int64": 123456789012345678901234567890, "fraction": 3.14159, "small": 1.0E-7,
         "yes": true, "no": false, "nothing": null, "empty_object": {}, "empty_array": [],
         "nested": {"list": [1, [2, [3, {"deep": "yes"}]]]}}""");
    ObjectNode config = Json.object("{\"mode\": \"echo\", \"threshold\": 0.5, \"tags\": [\"a\", \"b\"]}");
    Map<String, JsonNode> previous = new LinkedHashMap<>();
    previous.put("parent_object", Json.parse("{\"value\": 42, \"ok\": true}"));
    previous.put("parent_array", Json.parse("[1, 2, 3]"));
    previous.put("parent_text", Json.parse("\"plain text\""));
    previous.put("parent_null", Json.parse("null"));
    StepExecutionRequest step = step("echo_step", ECHO, taskContext, config, previous, 2, 3);

    BatchOutcome outcome = run.await(run.send(step));

    PartialResult result = outcome.resultOf(step);
    check(result.status() == StepStatus.COMPLETED, "the echo step ended " + result.status().wireName()
        + (result.error() == null ? "" : ": " + result.error().message()));
    ObjectNode expected = context();
    expected.set("task_context", taskContext);
    expected.set("handler_config", config);
    ObjectNode previousNode = expected.putObject("previous_results");
    previous.forEach(previousNode::set);
    expected.put("step_name", "echo_step");
    expected.put("attempt", 2);
    String difference = Json.difference(expected, result.output(), "output");
    check(difference == null, "the echo came back changed: " + difference);
    StepSummary summary = outcome.completion().stepSummaries().get(0);
    String summaryDifference = Json.difference(expected, summary.output(), "step_summaries[0].output");
    check(summaryDifference == null, "the completion's summary changed the output: " + summaryDifference);
    return "task context, config, previous results and output unchanged (" + run.encoding + ")";
  }

  private static String batchCompletion(ScenarioRun run) {
    run.welcome();
    List<StepExecutionRequest> steps = List.of(
        step("echo", ECHO, context().put("n", 1)),
        step("retryable", RETRYABLE, context().put("message", "try later")),
        step("permanent", PERMANENT, context().put("message", "never")),
        step("sleep", SLEEP, sleepFor(100)));
    BatchOutcome outcome = run.await(run.send(steps));
    BatchCompletion completion = outcome.completion();

    check(outcome.partialsAfterCompletion() == 0,
        outcome.partialsAfterCompletion() + " partial results arrived after the batch completion");
    check(completion.totalSteps() == 4, "total_steps " + completion.totalSteps() + ", expected 4");
    check(completion.completedSteps() == 2, "completed_steps " + completion.completedSteps() + ", expected 2");
    check(completion.failedSteps() == 2, "failed_steps " + completion.failedSteps() + ", expected 2");
    check(completion.inProgressSteps() == 0, "in_progress_steps " + completion.inProgressSteps() + ", expected 0");
    check(completion.stepSummaries().size() == 4, completion.stepSummaries().size() + " step summaries, expected 4");
    Set<Object> seen = new HashSet<>();
    for (StepSummary summary : completion.stepSummaries()) {
      check(seen.add(summary.stepId()), "two summaries for step " + summary.stepId());
      PartialResult partial = outcome.terminal().stream().filter(p -> p.stepId().equals(summary.stepId()))
          .findFirst().orElseThrow(() -> new ConformanceFailure("a summary for step " + summary.stepId()
              + ", which is not in the batch or had no partial result"));
      String step = steps.stream().filter(s -> s.stepId().equals(summary.stepId())).findFirst()
          .map(StepExecutionRequest::stepName).orElse("?");
      check(summary.status() == partial.status(), step + ": summary status " + summary.status().wireName()
          + " but partial " + partial.status().wireName());
      check(summary.attempt() == partial.attempt(), step + ": summary attempt differs from the partial's");
      String outputDifference = Json.difference(partial.output(), summary.output(), step + ".output");
      check(outputDifference == null, "summary and partial disagree: " + outputDifference);
      check(sameError(partial.error(), summary.error()), step + ": summary error " + summary.error()
          + " differs from the partial's " + partial.error());
    }
    return "completion after 4 partials: completed=2 failed=2 in_progress=0, summaries match";
  }

  private static boolean sameError(StepError a, StepError b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.message().equals(b.message()) && a.errorType().equals(b.errorType())
        && a.retryable() == b.retryable() && Objects.equals(a.retryAfterMs(), b.retryAfterMs());
  }

  private static String stepErrors(ScenarioRun run) {
    run.welcome();
    StepExecutionRequest retryable = step("retryable", RETRYABLE, context().put("message", "try again later"));
    StepExecutionRequest retryAfter = step("retry_after", RETRYABLE,
        context().put("message", "rate limited").put("retry_after_ms", 1500));
    StepExecutionRequest permanent = step("permanent", PERMANENT, context().put("message", "card declined"));
    StepExecutionRequest raise = step("raise", RAISE, context().put("message", "boom"));
    BatchOutcome outcome = run.await(run.send(retryable, retryAfter, permanent, raise));

    StepError plain = failed(outcome, retryable);
    check(plain.retryable(), "retryable: reported retryable=false");
    check(plain.errorType().equals("conformance_retryable"), "retryable: error_type " + plain.errorType());
    check(plain.message().contains("try again later"), "retryable: message '" + plain.message() + "'");
    check(plain.retryAfterMs() == null, "retryable: retry_after_ms " + plain.retryAfterMs() + " without one asked");
    StepError after = failed(outcome, retryAfter);
    check(after.retryable(), "retry_after: reported retryable=false");
    check(Long.valueOf(1500).equals(after.retryAfterMs()), "retry_after: retry_after_ms " + after.retryAfterMs()
        + ", expected 1500");
    StepError never = failed(outcome, permanent);
    check(!never.retryable(), "permanent: reported retryable=true");
    check(never.errorType().equals("conformance_permanent"), "permanent: error_type " + never.errorType());
    check(never.message().contains("card declined"), "permanent: message '" + never.message() + "'");
    StepError raised = failed(outcome, raise);
    check(raised.retryable(), "raise: an exception must be a retryable failure");
    check(!raised.errorType().isBlank(), "raise: empty error_type");
    check(raised.message().contains("boom"), "raise: message '" + raised.message() + "'");
    return "retryable, retry_after_ms=1500, permanent and raised (" + raised.errorType() + ") reported correctly";
  }

  private static StepError failed(BatchOutcome outcome, StepExecutionRequest step) {
    PartialResult result = outcome.resultOf(step);
    check(result.status() == StepStatus.FAILED, step.stepName() + " ended " + result.status().wireName()
        + ", expected failed");
    return result.error();
  }

  private static String unknownHandler(ScenarioRun run) {
    run.welcome();
    StepExecutionRequest unknown = step("unknown", "conformance.no_such_handler", context());
    StepExecutionRequest echo = step("echo", ECHO, context().put("n", 1));
    BatchOutcome outcome = run.await(run.send(unknown, echo));

    StepError error = failed(outcome, unknown);
    check(!error.retryable(), "an unknown handler was reported retryable; it must be a permanent failure");
    check(error.errorType().equals("unknown_handler"), "error_type " + error.errorType()
        + ", expected unknown_handler");
    check(outcome.resultOf(echo).status() == StepStatus.COMPLETED, "the other step of the batch did not complete");
    check(outcome.completion().failedSteps() == 1 && outcome.completion().completedSteps() == 1,
        "completion counts completed=" + outcome.completion().completedSteps() + " failed="
            + outcome.completion().failedSteps() + ", expected 1 and 1");
    return "unknown_handler, retryable=false; the rest of the batch completed";
  }

  private static String credit(ScenarioRun run) {
    int credit = run.hello.concurrency();
    check(credit <= 256, "HELLO.concurrency " + credit + " is more than the kit tests (256)");
    run.welcome();

    List<StepExecutionRequest> withinCredit = new ArrayList<>();
    for (int i = 0; i < credit; i++) {
      withinCredit.add(step("within_" + i, SLEEP, sleepFor(300)));
    }
    BatchOutcome first = run.await(run.send(withinCredit), Duration.ofSeconds(30));
    int runningWithin = maxRunning(first.terminal());
    check(runningWithin <= credit, runningWithin + " steps ran at once with a credit of " + credit);
    check(credit == 1 || runningWithin >= 2, "the " + credit + " steps of one batch ran one at a time;"
        + " a batch's steps must run concurrently");

    List<StepBatchRequest> overCredit = new ArrayList<>();
    List<PartialResult> overResults = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      List<StepExecutionRequest> steps = new ArrayList<>();
      for (int i = 0; i < credit; i++) {
        steps.add(step("over_" + b + "_" + i, SLEEP, sleepFor(200)));
      }
      overCredit.add(run.send(steps));
    }
    for (BatchOutcome outcome : run.collect(overCredit, Duration.ofSeconds(60))) {
      overResults.addAll(outcome.terminal());
    }
    int runningOver = maxRunning(overResults);
    check(runningOver <= credit, runningOver + " steps ran at once with a credit of " + credit
        + " when " + (2 * credit) + " were sent at once; extra steps must wait");
    return "credit=" + credit + " max_running=" + runningWithin + "; " + (2 * credit)
        + " sent at once: max_running=" + runningOver;
  }

  /** The most sleep steps running at the same time, from the start and finish times they report. */
  static int maxRunning(List<PartialResult> results) {
    record Edge(long at, int delta) {}
    List<Edge> edges = new ArrayList<>();
    for (PartialResult result : results) {
      check(result.status() == StepStatus.COMPLETED, "a sleep step ended " + result.status().wireName()
          + (result.error() == null ? "" : ": " + result.error().message()));
      JsonNode output = result.output();
      check(output != null && output.path("started_at_ms").isIntegralNumber()
              && output.path("finished_at_ms").isIntegralNumber(),
          "conformance.sleep must output started_at_ms and finished_at_ms, got " + output);
      edges.add(new Edge(output.get("started_at_ms").asLong(), 1));
      edges.add(new Edge(output.get("finished_at_ms").asLong(), -1));
    }
    // A step that finishes at the same millisecond another starts did not overlap it.
    edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
    int running = 0;
    int most = 0;
    for (Edge edge : edges) {
      running += edge.delta();
      most = Math.max(most, running);
    }
    return most;
  }
}
