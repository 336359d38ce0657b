package dev.tasker.cli.conformance;

import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.Frames;
import dev.tasker.protocol.Ids;
import dev.tasker.protocol.JsonCodec;
import dev.tasker.protocol.MessageCodec;
import dev.tasker.protocol.ProtocolVersion;
import dev.tasker.protocol.StepBatchRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the conformance scenarios against a worker command, once per encoding, each against a fresh
 * worker process, and prints one line per scenario and a total. The scenarios of an encoding the
 * worker does not offer (any but JSON, which every worker must speak) are skipped.
 */
public final class ConformanceKit {

  /** Every scenario, in the order they run. */
  static List<Scenario> scenarios() {
    return Stream.concat(SessionScenarios.all().stream(), StepScenarios.all().stream())
        .sorted((a, b) -> Integer.compare(ORDER.indexOf(a.name()), ORDER.indexOf(b.name())))
        .toList();
  }

  /** Scenario names in running order. */
  public static final List<String> ORDER = List.of(
      "version_negotiation", "unsupported_version", "sequence_numbers", "payload_fidelity",
      "batch_completion", "step_errors", "unknown_handler", "heartbeats", "credit", "malformed_messages",
      "drain_on_sigterm", "goodbye_reregister", "acknowledgement");

  /**
   * The check a {@code --curve} run adds, in each encoding, when it runs every scenario or is named:
   * a worker with a key the kit does not authorize gets nothing.
   */
  public static final String CURVE_UNKNOWN_KEY = CurveRefusal.NAME;

  /** Every scenario name. */
  public static List<String> scenarioNames() {
    return ORDER;
  }

  private final List<String> command;
  private final String name;
  private final Path logDirectory;
  private final PrintStream out;
  private boolean curve;

  /**
   * @param command the command that starts a worker; {@code {endpoint}} in it is replaced by the
   *     kit's endpoint, which is also in {@code TASKER_ENDPOINT}
   * @param name how the worker is named on the output lines, or {@code null} for the language its
   *     HELLO announces
   * @param logDirectory where each scenario's worker output is written
   */
  public ConformanceKit(List<String> command, String name, Path logDirectory, PrintStream out) {
    this.command = List.copyOf(command);
    this.name = name;
    this.logDirectory = logDirectory;
    this.out = out;
  }

  /**
   * Makes the kit a CURVE server for the run, with keys generated for it: every scenario runs over
   * CURVE with a worker key the kit authorizes, and the {@value CurveRefusal#NAME} check runs in
   * each encoding too. The worker gets the keys in {@code TASKER_CURVE_SERVER_KEY} and {@code
   * TASKER_CURVE_KEY_FILE}.
   */
  public ConformanceKit curve(boolean curve) {
    this.curve = curve;
    return this;
  }

  /**
   * Runs {@code scenarioNames} in each of {@code encodings}. An encoding other than JSON that the
   * worker's HELLO does not offer is optional: its scenarios are skipped, saying so, not failed.
   *
   * @return whether every scenario passed or was skipped, and at least one passed
   */
  public boolean run(List<String> scenarioNames, List<String> encodings) {
    try {
      Files.createDirectories(logDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Scenario> selected = new ArrayList<>(
        scenarios().stream().filter(s -> scenarioNames.contains(s.name())).toList());
    KitCurve keys = curve ? new KitCurve(logDirectory.resolve("curve-keys")) : null;
    if (keys != null && (scenarioNames.containsAll(ORDER) || scenarioNames.contains(CURVE_UNKNOWN_KEY))) {
      // Not a ScenarioRun: the worker never gets as far as HELLO.
      selected.add(new Scenario(CurveRefusal.NAME, "a worker with an unknown key gets nothing", run -> null));
    }
    warmUp(encodings);
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    List<String> failures = new ArrayList<>();
    Map<String, String> notOffered = new LinkedHashMap<>();
    String lastLanguage = null;
    for (String encoding : encodings) {
      for (Scenario scenario : selected) {
        String logName = encoding + "-" + scenario.name();
        long started = System.nanoTime();
        Outcome outcome = notOffered.containsKey(encoding)
            ? new Outcome(Result.SKIP, null, notOffered.get(encoding))
            : runOne(scenario, encoding, logName, keys);
        if (outcome.result() == Result.SKIP) {
          notOffered.putIfAbsent(encoding, outcome.detail());
        }
        String worker = outcome.worker() != null ? outcome.worker() : name;
        if (worker == null) {
          worker = lastLanguage != null ? lastLanguage : "unknown";
        } else {
          lastLanguage = worker;
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        out.println("conformance: worker=" + worker + "/" + encoding + " scenario=" + scenario.name()
            + " result=" + outcome.result().word + " " + outcome.detail() + " (" + elapsedMs + " ms)");
        switch (outcome.result()) {
          case PASS -> passed++;
          case SKIP -> skipped++;
          case FAIL -> {
            failed++;
            failures.add(logName);
            printTail(logDirectory.resolve(logName + ".log"));
          }
        }
      }
    }
    out.println("conformance: total=" + (passed + failed + skipped) + " passed=" + passed + " failed=" + failed
        + (skipped == 0 ? "" : " skipped=" + skipped + " (" + String.join("; ", notOffered.keySet().stream()
            .map(encoding -> encoding + " not offered by the worker").toList()) + ")")
        + (failures.isEmpty() ? "" : " worker logs in " + logDirectory));
    return failed == 0 && passed > 0;
  }

  /** How one scenario ended. */
  private enum Result {
    PASS("pass"), FAIL("fail"), SKIP("skip");

    private final String word;

    Result(String word) {
      this.word = word;
    }
  }

  /** @param worker the name of the worker, when its HELLO or {@code --name} told it */
  private record Outcome(Result result, String worker, String detail) {}

  private Outcome runOne(Scenario scenario, String encoding, String logName, KitCurve keys) {
    String worker = name;
    ScenarioRun run = null;
    try {
      if (scenario.name().equals(CurveRefusal.NAME)) {
        return new Outcome(Result.PASS, worker, CurveRefusal.check(command, logDirectory.resolve(logName + ".log"), keys));
      }
      run = ScenarioRun.start(command, encoding, logDirectory, logName, keys);
      worker = name != null ? name : run.language();
      List<String> offered = run.hello.encodings();
      if (!encoding.equals(JsonCodec.ENCODING) && !offered.contains(encoding)) {
        // JSON is the one encoding every worker must speak; the others are optional.
        return new Outcome(Result.SKIP, worker, encoding + " not offered by the worker (HELLO.encodings " + offered + ")");
      }
      return new Outcome(Result.PASS, worker, scenario.body().run(run));
    } catch (ConformanceFailure e) {
      return new Outcome(Result.FAIL, worker, e.getMessage());
    } catch (RuntimeException e) {
      return new Outcome(Result.FAIL, worker, "the kit failed: " + e);
    } finally {
      if (run != null) {
        run.close();
      }
    }
  }

  /**
   * Encodes and decodes a batch in each encoding once before the first scenario: loading a codec's
   * classes (protobuf's descriptors especially) on a busy machine took the kit's only thread long
   * enough, inside a scenario, to miss heartbeats, and a healthy worker then registered again.
   */
  private static void warmUp(List<String> encodings) {
    StepBatchRequest batch = new StepBatchRequest(Ids.newId(), ProtocolVersion.CURRENT, List.of(
        ScenarioRun.step("warm_up", "conformance.echo", ScenarioRun.context())));
    for (String encoding : encodings) {
      MessageCodec codec = Encodings.codec(encoding);
      Frames.decode(Frames.encode(batch, codec), codec);
    }
  }

  private void printTail(Path log) {
    try {
      if (!Files.exists(log)) {
        return;
      }
      List<String> lines = Files.readAllLines(log);
      int from = Math.max(0, lines.size() - 15);
      out.println("  last lines of " + log + ":");
      lines.subList(from, lines.size()).forEach(line -> out.println("  | " + line));
    } catch (IOException | UncheckedIOException e) {
      out.println("  (cannot read " + log + ": " + e.getMessage() + ")");
    }
  }
}
