package dev.tasker.cli;

import dev.tasker.cli.chaos.ChaosHandlers;
import dev.tasker.examples.ExampleHandlers;
import dev.tasker.examples.conformance.ConformanceHandlers;
import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.worker.StepHandler;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import dev.tasker.worker.StepWorker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.tasker.worker.WorkerRejectedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker worker}: a Java worker process serving the example handlers. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Java worker serving the example handlers.",
      "Serves the order fulfillment, diamond, polyglot (Java half), approval routing and CSV inventory",
      "handlers (or, with --handlers, the chaos, conformance or bench ones).",
      "It drains on SIGTERM or Ctrl-C: no new steps, running steps finish and are reported."
    })
final class WorkerCommand implements Callable<Integer> {

  @Option(names = "--endpoint", split = ",", defaultValue = "${env:TASKER_ENDPOINT:-tcp://127.0.0.1:5555}",
      description = {"Orchestrator endpoint; repeat it or separate with commas to serve several orchestrators",
          "(default: $TASKER_ENDPOINT, comma-separated, else tcp://127.0.0.1:5555)."})
  List<String> endpoints;

  @Option(names = "--no-discover", negatable = false,
      description = "Serve only the given endpoints, not the other orchestrators a WELCOME names.")
  boolean noDiscover;

  @Option(names = "--concurrency", defaultValue = "16", description = "Steps run at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--worker-id", description = "Worker id (default: a new UUIDv7).")
  String workerId;

  @Option(names = "--handlers", defaultValue = "examples",
      description = "Which handlers to serve: examples, chaos, conformance or bench (default: ${DEFAULT-VALUE}).")
  String handlerSet;

  @Option(names = "--drain-timeout-seconds", defaultValue = "30",
      description = "How long to wait for running steps when stopping (default: ${DEFAULT-VALUE}).")
  long drainTimeoutSeconds;

  @Option(names = "--curve-server-key", paramLabel = "KEY", defaultValue = "${env:TASKER_CURVE_SERVER_KEY}",
      description = "The orchestrator's CURVE public key (40 characters of Z85, from its NAME.pub;"
          + " env TASKER_CURVE_SERVER_KEY). Needs --curve-key-file.")
  String curveServerKey;

  @Option(names = "--curve-key-file", paramLabel = "FILE", defaultValue = "${env:TASKER_CURVE_KEY_FILE}",
      description = "This worker's CURVE secret key file (NAME.key from tasker keys generate; its public key,"
          + " derived from it, must be authorized at the orchestrator; env TASKER_CURVE_KEY_FILE).")
  Path curveKeyFile;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, StepHandler> handlers = switch (handlerSet) {
      case "examples" -> ExampleHandlers.all();
      case "chaos" -> ChaosHandlers.all();
      case "conformance" -> ConformanceHandlers.all();
      case "bench" -> Map.of(BenchHandler.NAME, new BenchHandler());
      default -> throw new IllegalArgumentException(
          "--handlers must be examples, chaos, conformance or bench but was '" + handlerSet + "'");
    };
    StepWorker.Builder builder =
        StepWorker.builder()
            .endpoints(endpoints.stream().map(String::strip).filter(e -> !e.isEmpty()).distinct().toList())
            .discover(!noDiscover)
            .handlers(handlers)
            .concurrency(concurrency)
            .drainTimeout(Duration.ofSeconds(drainTimeoutSeconds));
    if (workerId != null) {
      builder.workerId(workerId);
    }
    if (curveServerKey != null || curveKeyFile != null) {
      if (curveServerKey == null || curveKeyFile == null) {
        throw new IllegalArgumentException(curveServerKey == null
            ? "--curve-key-file is set but --curve-server-key is not: CURVE needs both"
            : "--curve-server-key is set but --curve-key-file is not: CURVE needs both");
      }
      // Checked under the option's name rather than reworded from the builder's error (which names
      // curveServerKey): tasker prints a cause its message does not include, so both showed.
      CurveKeys.decode("--curve-server-key", curveServerKey);
      CurveKeyPair keyPair;
      try {
        keyPair = CurveKeys.readSecretKeyFile(curveKeyFile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--curve-key-file: " + e.getMessage(), e);
      }
      builder.curveServerKey(curveServerKey).curveKeyPair(keyPair);
    }
    StepWorker worker = builder.build();
    CountDownLatch stopRequested = new CountDownLatch(1);
    Signals.onTerminate(stopRequested::countDown);
    worker.start();
    System.err.println("worker " + worker.workerId() + " serving " + handlers.size()
        + " handlers on " + String.join(", ", endpoints) + (worker.usesVirtualThreads() ? " (virtual threads)" : "")
        + (curveKeyFile != null ? " with CURVE" : ""));
    try {
      while (!stopRequested.await(100, TimeUnit.MILLISECONDS)) {
        if (worker.awaitTermination(Duration.ZERO)) {
          System.err.println("worker " + worker.workerId() + " stopped by itself; see the log above");
          return 1;
        }
      }
    } catch (WorkerRejectedException e) {
      System.err.println("tasker worker: " + e.getMessage());
      worker.close();
      return 2;
    }
    System.err.println("worker " + worker.workerId() + " draining");
    worker.close();
    return 0;
  }
}
