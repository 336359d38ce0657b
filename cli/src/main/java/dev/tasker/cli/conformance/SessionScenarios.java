package dev.tasker.cli.conformance;

import static dev.tasker.cli.conformance.ConformanceFailure.check;
import static dev.tasker.cli.conformance.ScenarioRun.context;
import static dev.tasker.cli.conformance.ScenarioRun.sleepFor;
import static dev.tasker.cli.conformance.ScenarioRun.step;

import dev.tasker.cli.conformance.KitOrchestrator.Received;
import dev.tasker.cli.conformance.ScenarioRun.BatchOutcome;
import dev.tasker.protocol.BatchCompletion;
import dev.tasker.protocol.ErrorCode;
import dev.tasker.protocol.Goodbye;
import dev.tasker.protocol.Hello;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.MessageType;
import dev.tasker.protocol.PartialResult;
import dev.tasker.protocol.ProtocolError;
import dev.tasker.protocol.Reject;
import dev.tasker.protocol.StepBatchRequest;
import dev.tasker.protocol.StepExecutionRequest;
import dev.tasker.protocol.StepStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Scenarios about the session: registration, versions, liveness, leaving, bad input, resending. */
final class SessionScenarios {

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private SessionScenarios() {}

  static List<Scenario> all() {
    return List.of(
        new Scenario("version_negotiation",
            "HELLO offers version 1, JSON and the conformance handlers with a credit of at least 1; a WELCOME "
                + "starts a working session; after a REJECT the worker sends nothing but HELLO and, if it exits, "
                + "exits with a non-zero status",
            SessionScenarios::versionNegotiation),
        new Scenario("unsupported_version",
            "a message whose version frame names a version the worker does not speak is answered with ERROR "
                + "unsupported_version listing the versions it speaks, and the session goes on",
            SessionScenarios::unsupportedVersion),
        new Scenario("heartbeats",
            "while idle and while a long step runs, the worker is never silent for 3 heartbeat intervals, "
                + "sends HEARTBEATs, and does not register again while the orchestrator heartbeats; when the "
                + "orchestrator falls silent, it registers again",
            SessionScenarios::heartbeats),
        new Scenario("malformed_messages",
            "wrong frame counts, an unknown type, undecodable and invalid bodies and a message only a worker "
                + "sends are each answered with the right ERROR code; an ERROR, even a malformed one, is not "
                + "answered; the worker "
                + "keeps running batches",
            SessionScenarios::malformedMessages),
        new Scenario("drain_on_sigterm",
            "on SIGTERM the worker sends GOODBYE, finishes and reports the steps it holds and any batch that "
                + "arrives before the orchestrator's GOODBYE, waits for that GOODBYE and for acknowledgements, "
                + "and exits with status 0",
            SessionScenarios::drainOnSigterm),
        new Scenario("goodbye_reregister",
            "after the orchestrator's GOODBYE (shutdown) the worker keeps its steps, registers again with "
                + "HELLO listing the batch it holds, and delivers every result in the new session",
            SessionScenarios::goodbyeReregister),
        new Scenario("acknowledgement",
            "results stay with the worker until acknowledged, one by one or by their batch's completion: after "
                + "re-registration the unacknowledged ones are sent again in their original order; acknowledged "
                + "ones are not",
            SessionScenarios::acknowledgement));
  }

  private static String versionNegotiation(ScenarioRun run) {
    Hello hello = run.hello;
    check(hello.protocolVersions().contains("1"), "HELLO.protocol_versions " + hello.protocolVersions()
        + " does not offer version 1");
    check(hello.encodings().contains(JsonCodec.ENCODING), "HELLO.encodings " + hello.encodings()
        + " must include json, which every peer speaks");
    List<String> missing = StepScenarios.HANDLERS.stream().filter(h -> !hello.handlers().contains(h)).toList();
    check(missing.isEmpty(), "HELLO.handlers lacks the conformance handlers " + missing);
    run.welcome();
    StepExecutionRequest echo = step("echo", StepScenarios.ECHO, context().put("hello", "world"));
    check(run.await(run.send(echo)).resultOf(echo).status() == StepStatus.COMPLETED,
        "the first step of the session did not complete");

    ScenarioRun rejected = run.another("rejected");
    rejected.kit.send(new Reject(rejected.hello.workerId(), "conformance kit: no common protocol version",
        List.of("99")));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int hellosAfter = 0;
    Integer exit = null;
    while (System.nanoTime() < deadline && exit == null) {
      Received received = rejected.kit.next(Duration.ofMillis(100), r -> true);
      if (received != null) {
        check(received.type() == MessageType.HELLO || received.type() == MessageType.HEARTBEAT,
            "after REJECT the worker sent " + received + "; only HELLO may follow a REJECT");
        hellosAfter += received.type() == MessageType.HELLO ? 1 : 0;
      }
      exit = rejected.worker.alive() ? null : rejected.worker.awaitExit(Duration.ZERO);
    }
    String afterReject;
    if (exit != null) {
      check(exit != 0, "the worker exited with status 0 after REJECT; a refused worker must exit non-zero");
      afterReject = "exited with status " + exit;
    } else {
      afterReject = "kept running and sent " + hellosAfter + " HELLOs in 10 s";
    }
    return "offers versions " + hello.protocolVersions() + ", encodings " + hello.encodings() + ", credit "
        + hello.concurrency() + "; after REJECT " + afterReject;
  }

  private static String unsupportedVersion(ScenarioRun run) {
    run.welcome();
    List<String> versions = List.of("tasker/99", "other/1");
    for (String version : versions) {
      run.kit.sendFrames(List.of(ascii(version), ascii("HEARTBEAT"),
          JsonCodec.instance().encode(new dev.tasker.protocol.Heartbeat(Instant.now()))));
      ProtocolError error = expectError(run, version + " message");
      check(error.code() == ErrorCode.UNSUPPORTED_VERSION, "a " + version + " message was answered with "
          + error.code().wireName() + ", expected unsupported_version");
      check(error.supportedVersions() != null && error.supportedVersions().contains("1"),
          "ERROR unsupported_version must list supported_versions including 1, got " + error.supportedVersions());
    }
    StepExecutionRequest echo = step("echo", StepScenarios.ECHO, context().put("after", "bad version"));
    check(run.await(run.send(echo)).resultOf(echo).status() == StepStatus.COMPLETED,
        "the session did not go on after the refused versions");
    return "tasker/99 and other/1 answered with unsupported_version [1]; the session went on";
  }

  private static String heartbeats(ScenarioRun run) {
    long interval = run.kit.heartbeatIntervalMs();
    run.welcome();
    long welcomedAt = System.nanoTime();
    run.kit.idle(Duration.ofMillis(1500));
    StepExecutionRequest slow = step("slow", StepScenarios.SLEEP, sleepFor(1200));
    run.await(run.send(slow));
    run.kit.idle(Duration.ofMillis(500));
    long endedAt = System.nanoTime();

    long previous = welcomedAt;
    long longestSilence = 0;
    int heartbeats = 0;
    for (Received received : run.kit.received()) {
      if (received.atNanos() < welcomedAt) {
        continue;
      }
      check(received.type() != MessageType.HELLO, "the worker registered again although the orchestrator"
          + " heartbeats every " + interval + " ms");
      heartbeats += received.type() == MessageType.HEARTBEAT ? 1 : 0;
      longestSilence = Math.max(longestSilence, received.atNanos() - previous);
      previous = received.atNanos();
    }
    longestSilence = Math.max(longestSilence, endedAt - previous) / 1_000_000;
    check(heartbeats >= 3, "only " + heartbeats + " HEARTBEATs in " + (endedAt - welcomedAt) / 1_000_000
        + " ms with a " + interval + " ms interval");
    check(longestSilence < 3 * interval, "the worker was silent for " + longestSilence + " ms; with a "
        + interval + " ms heartbeat it is declared dead after " + (3 * interval) + " ms");
    // Now the orchestrator falls silent: the worker must notice and register again.
    run.kit.heartbeating(false);
    long silentFrom = System.nanoTime();
    Received again = run.kit.next(Duration.ofSeconds(3), r -> r.type() == MessageType.HELLO);
    check(again != null, "the orchestrator was silent for 3 s and the worker did not register again; it should"
        + " after " + (3 * interval) + " ms without a message");
    long noticedMs = (again.atNanos() - silentFrom) / 1_000_000;
    return "heartbeats=" + heartbeats + " longest_silence_ms=" + longestSilence + " (interval " + interval
        + " ms, dead after " + (3 * interval) + " ms), also while a 1200 ms step ran; HELLO again "
        + noticedMs + " ms after the orchestrator fell silent";
  }

  private static String malformedMessages(ScenarioRun run) {
    run.welcome();
    // A worker that heard no WELCOME in time sends HELLO again; on a loaded machine that second
    // HELLO can arrive after the WELCOME went out and be taken for the answer to the first bad
    // message. Its first HEARTBEAT shows it has the WELCOME: whatever came before is from the handshake.
    Received beat = run.kit.next(ANSWER_TIMEOUT, r -> r.type() == MessageType.HEARTBEAT);
    check(beat != null, "no HEARTBEAT within " + ANSWER_TIMEOUT.toSeconds() + " s of WELCOME");
    run.kit.discardPending();
    boolean protobuf = !run.encoding.equals(JsonCodec.ENCODING);
    UUID id = UUID.randomUUID();
    List<BadMessage> bad = List.of(
        new BadMessage("two frames", List.of(ascii("tasker/1"), ascii("HEARTBEAT")), ErrorCode.MALFORMED_FRAMES),
        new BadMessage("four frames", List.of(ascii("tasker/1"), ascii("HEARTBEAT"), ascii("{}"), ascii("extra")),
            ErrorCode.MALFORMED_FRAMES),
        new BadMessage("unknown type", List.of(ascii("tasker/1"), ascii("NO_SUCH_TYPE"), ascii("{}")),
            ErrorCode.UNKNOWN_MESSAGE_TYPE),
        new BadMessage("undecodable STEP_BATCH", stepBatchFrames(protobuf
            ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}
            : ascii("{\"batch_id\": \"" + id + "\", \"steps\": [")), ErrorCode.MALFORMED_BODY),
        new BadMessage("STEP_BATCH with a step_id that is not a UUID",
            stepBatchFrames(BadBodies.stepBatch(protobuf, "not-a-uuid", "{}")), ErrorCode.MALFORMED_BODY),
        new BadMessage("STEP_BATCH whose task_context is not an object",
            stepBatchFrames(BadBodies.stepBatch(protobuf, UUID.randomUUID().toString(), "[1, 2]")),
            ErrorCode.MALFORMED_BODY),
        new BadMessage("PARTIAL_RESULT sent to a worker", List.of(ascii("tasker/1"), ascii("PARTIAL_RESULT"),
            run.kit.codec().encode(new PartialResult(id, id, 1, StepStatus.COMPLETED, null, null, "kit", 1,
                Instant.now(), 0))), ErrorCode.UNEXPECTED_MESSAGE));
    List<String> answers = new ArrayList<>();
    for (BadMessage message : bad) {
      run.kit.sendFrames(message.frames());
      ProtocolError error = expectError(run, message.what());
      check(error.code() == message.expected(), message.what() + " was answered with " + error.code().wireName()
          + " (" + error.message() + "), expected " + message.expected().wireName());
      answers.add(error.code().wireName());
    }
    run.kit.send(new ProtocolError(ErrorCode.INTERNAL, "the kit reports a made-up problem", "HEARTBEAT", null));
    // Not even a malformed ERROR may be answered with an ERROR.
    run.kit.sendFrames(List.of(ascii("tasker/1"), ascii("ERROR")));
    run.kit.sendFrames(List.of(ascii("tasker/99"), ascii("ERROR"), ascii("{}")));
    StepExecutionRequest echo = step("echo", StepScenarios.ECHO, context().put("after", "malformed"));
    BatchOutcome outcome = run.await(run.send(echo));
    check(outcome.resultOf(echo).status() == StepStatus.COMPLETED, "a valid batch after the bad messages failed");
    List<Received> errors = outcome.others().stream().filter(r -> r.type() == MessageType.ERROR).toList();
    check(errors.isEmpty(), "the worker answered the kit's ERRORs (one valid, two malformed) with " + errors);
    check(run.worker.alive(), "the worker process exited");
    return bad.size() + " bad messages answered " + answers + "; ERRORs (even malformed) not answered;"
        + " a valid batch completed";
  }

  private record BadMessage(String what, List<byte[]> frames, ErrorCode expected) {}

  private static List<byte[]> stepBatchFrames(byte[] body) {
    return List.of(ascii("tasker/1"), ascii("STEP_BATCH"), body);
  }

  private static String drainOnSigterm(ScenarioRun run) {
    run.welcome();
    run.kit.autoAck(false);
    List<StepExecutionRequest> steps = List.of(
        step("sleep_0", StepScenarios.SLEEP, sleepFor(800)),
        step("sleep_1", StepScenarios.SLEEP, sleepFor(800)),
        step("sleep_2", StepScenarios.SLEEP, sleepFor(800)));
    StepBatchRequest batch = run.send(steps);
    run.kit.idle(Duration.ofMillis(200));
    long signalledAt = System.nanoTime();
    run.worker.terminate();

    Received goodbye = run.kit.next(Duration.ofSeconds(3), r -> r.type() == MessageType.GOODBYE);
    check(goodbye != null, "no GOODBYE within 3 s of SIGTERM");
    long goodbyeMs = (goodbye.atNanos() - signalledAt) / 1_000_000;
    // A batch the orchestrator sent before it read the GOODBYE must still run.
    StepExecutionRequest late = step("late", StepScenarios.ECHO, context().put("sent", "after GOODBYE"));
    StepBatchRequest lateBatch = run.send(late);
    List<BatchOutcome> outcomes = run.collect(List.of(batch, lateBatch), ScenarioRun.BATCH_TIMEOUT);
    for (StepExecutionRequest step : steps) {
      check(outcomes.get(0).resultOf(step).status() == StepStatus.COMPLETED,
          step.stepName() + " did not complete during the drain");
    }
    check(outcomes.get(1).resultOf(late).status() == StepStatus.COMPLETED,
        "a batch that arrived after the worker's GOODBYE, before the orchestrator's, was not run");
    // Until its results are acknowledged and the orchestrator says GOODBYE, the worker stays.
    run.kit.idle(Duration.ofSeconds(1));
    check(run.worker.alive(), "the worker exited before its results were acknowledged and before the"
        + " orchestrator's GOODBYE");
    run.kit.acknowledgeBatch(batch.batchId());
    run.kit.acknowledgeBatch(lateBatch.batchId());
    run.kit.send(new Goodbye("acknowledged"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Integer exit = null;
    while (exit == null && System.nanoTime() < deadline) {
      run.kit.idle(Duration.ofMillis(50));
      exit = run.worker.awaitExit(Duration.ZERO);
    }
    check(exit != null, "the worker was still running 10 s after its results were acknowledged and the"
        + " orchestrator's GOODBYE");
    check(exit == 0, "the worker exited with status " + exit + " after a clean drain, expected 0");
    check(outcomes.get(0).others().stream().noneMatch(r -> r.type() == MessageType.HELLO),
        "the worker registered again while draining");
    return "GOODBYE " + goodbyeMs + " ms after SIGTERM, 3/3 held steps and a batch sent after the GOODBYE"
        + " reported, waited for acknowledgement, exit status 0";
  }

  private static String goodbyeReregister(ScenarioRun run) {
    run.welcome();
    List<StepExecutionRequest> steps = List.of(
        step("sleep_0", StepScenarios.SLEEP, sleepFor(600)),
        step("sleep_1", StepScenarios.SLEEP, sleepFor(600)));
    StepBatchRequest batch = run.send(steps);
    run.kit.idle(Duration.ofMillis(100));
    run.kit.send(new Goodbye("shutdown"));
    run.kit.forgetSession();
    long goodbyeAt = System.nanoTime();

    Received again = run.kit.next(Duration.ofSeconds(10), r -> r.type() == MessageType.HELLO);
    check(again != null, "no HELLO within 10 s of the orchestrator's GOODBYE");
    check(again.problem() == null, "the second HELLO is not valid: " + again.problem());
    Hello hello = (Hello) again.message();
    check(hello.workerId().equals(run.hello.workerId()), "the worker registered again as " + hello.workerId()
        + " instead of " + run.hello.workerId() + "; the worker id must stay the same");
    long helloMs = (again.atNanos() - goodbyeAt) / 1_000_000;
    String held = "without held_batches";
    if (hello.heldBatches() != null) {
      check(hello.heldBatches().contains(batch.batchId()), "HELLO.held_batches " + hello.heldBatches()
          + " does not list the batch the worker holds");
      held = "with held_batches listing the batch";
    }
    // Results sent before the new WELCOME went to nobody; only those after it count.
    run.kit.discardPending();
    run.welcome(hello, run.kit.heartbeatIntervalMs());
    BatchOutcome outcome = run.await(batch);
    for (StepExecutionRequest step : steps) {
      check(outcome.resultOf(step).status() == StepStatus.COMPLETED, step.stepName() + " was not delivered");
    }
    check(run.worker.alive(), "the worker exited after the orchestrator's GOODBYE");
    return "HELLO again " + helloMs + " ms after GOODBYE " + held + "; 2/2 results delivered after WELCOME";
  }

  private static String acknowledgement(ScenarioRun run) {
    run.welcome();
    run.kit.autoAck(false);
    StepExecutionRequest quick = step("quick", StepScenarios.ECHO, context().put("n", 0));
    StepExecutionRequest slow = step("slow", StepScenarios.SLEEP, sleepFor(700));
    StepBatchRequest batch = run.send(quick, slow);
    Received first = run.kit.next(ScenarioRun.BATCH_TIMEOUT,
        r -> r.message() instanceof PartialResult p && p.stepId().equals(quick.stepId()));
    check(first != null, "no result for the quick step");
    // Acknowledge that one partial result alone, while the batch still runs.
    run.kit.send(new dev.tasker.protocol.Ack(
        List.of(new dev.tasker.protocol.Ack.ResultRef(batch.batchId(), quick.stepId())), List.of()));
    PartialResult slowResult = null;
    BatchCompletion completion = null;
    while (slowResult == null || completion == null) {
      Received received = run.kit.next(ScenarioRun.BATCH_TIMEOUT,
          r -> r.message() instanceof PartialResult || r.message() instanceof BatchCompletion);
      check(received != null, "the slow step's result or the batch completion did not arrive");
      if (received.message() instanceof PartialResult p && p.stepId().equals(slow.stepId())) {
        slowResult = p;
      } else if (received.message() instanceof BatchCompletion c) {
        completion = c;
      }
    }

    Hello again = reregister(run, "unacknowledged results");
    if (again.heldBatches() != null) {
      check(again.heldBatches().contains(batch.batchId()), "HELLO.held_batches " + again.heldBatches()
          + " does not list the batch whose results are unacknowledged");
    }
    run.welcome(again, run.kit.heartbeatIntervalMs());
    List<Received> resent = new ArrayList<>();
    Received next;
    while ((next = run.kit.next(Duration.ofSeconds(5),
        r -> r.message() instanceof PartialResult || r.message() instanceof BatchCompletion)) != null) {
      resent.add(next);
      if (next.message() instanceof BatchCompletion) {
        break;
      }
    }
    List<String> order = resent.stream().map(r -> r.message() instanceof PartialResult p
        ? (p.stepId().equals(quick.stepId()) ? "quick" : p.stepId().equals(slow.stepId()) ? "slow" : "?")
        : "completion").toList();
    check(order.equals(List.of("slow", "completion")), "after re-registration the worker sent " + order
        + "; expected the unacknowledged [slow, completion] in their original order, and not the"
        + " acknowledged quick result");
    PartialResult slowAgain = (PartialResult) resent.get(0).message();
    check(slowAgain.sequence() == slowResult.sequence() && slowAgain.attempt() == slowResult.attempt(),
        "the slow step was resent with sequence " + slowAgain.sequence() + " instead of " + slowResult.sequence());

    run.kit.acknowledgeBatch(batch.batchId());
    run.kit.idle(Duration.ofMillis(300));
    Hello third = reregister(run, "acknowledged results");
    if (third.heldBatches() != null) {
      check(!third.heldBatches().contains(batch.batchId()), "HELLO.held_batches still lists the batch after its"
          + " completion was acknowledged");
    }
    run.welcome(third, run.kit.heartbeatIntervalMs());
    run.kit.idle(Duration.ofMillis(1000));
    List<Received> late = run.kit.pending().stream()
        .filter(r -> r.message() instanceof PartialResult || r.message() instanceof BatchCompletion).toList();
    check(late.isEmpty(), "acknowledged results were sent again: " + late);
    return "a partial acknowledged alone was not resent; the unacknowledged partial and completion were, in"
        + " order, after re-registration; none after the completion's ACK";
  }

  private static Hello reregister(ScenarioRun run, String why) {
    run.kit.send(new ProtocolError(ErrorCode.NOT_REGISTERED, "conformance kit: send HELLO (" + why + ")",
        "HEARTBEAT", null));
    run.kit.forgetSession();
    Received hello = run.kit.next(ANSWER_TIMEOUT, r -> r.type() == MessageType.HELLO);
    check(hello != null && hello.problem() == null, "no valid HELLO within " + ANSWER_TIMEOUT.toSeconds()
        + " s of ERROR not_registered");
    run.kit.discardPending();
    return (Hello) hello.message();
  }

  private static ProtocolError expectError(ScenarioRun run, String what) {
    Received received = run.kit.next(ANSWER_TIMEOUT);
    check(received != null, "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s to " + what);
    check(received.message() instanceof ProtocolError, what + " was answered with " + received + ", not ERROR");
    return (ProtocolError) received.message();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
