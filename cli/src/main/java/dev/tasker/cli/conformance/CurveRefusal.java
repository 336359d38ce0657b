package dev.tasker.cli.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@value #NAME} check of a {@code --curve} run: the worker under test, started with a key
 * the kit does not authorize, must attempt the CURVE handshake with that key (the kit's ZAP handler
 * refuses it) and get nothing: no message of it may reach the kit's ROUTER.
 */
final class CurveRefusal {

  static final String NAME = "curve_unknown_key";

  /** How long the kit keeps watching after the first refusal for anything getting through. */
  static final Duration WATCH = Duration.ofSeconds(2);

  private CurveRefusal() {}

  /** Runs the check; returns the detail of a pass, throws {@link ConformanceFailure} otherwise. */
  static String check(List<String> command, Path log, KitCurve curve) {
    try (KitOrchestrator kit = new KitOrchestrator(curve);
        WorkerProcess worker = WorkerProcess.start(command, kit.endpoint(), log, curve, false)) {
      long deadline = System.nanoTime() + ScenarioRun.HELLO_TIMEOUT.toNanos();
      while (kit.refusedConnections() == 0) {
        if (System.nanoTime() > deadline) {
          throw new ConformanceFailure("no CURVE handshake with the key in TASKER_CURVE_KEY_FILE within "
              + ScenarioRun.HELLO_TIMEOUT.toSeconds() + " s: the worker must connect as a CURVE client with"
              + " TASKER_CURVE_SERVER_KEY and that key"
              + (worker.alive() ? "" : " (it exited with " + worker.awaitExit(Duration.ZERO) + ")"));
        }
        failIfAnythingArrived(kit.next(Duration.ofMillis(50), r -> true));
      }
      failIfAnythingArrived(kit.next(WATCH, r -> true));
      return "refused " + kit.refusedConnections() + " handshake(s) of the unknown key; nothing reached the kit";
    }
  }

  private static void failIfAnythingArrived(KitOrchestrator.Received received) {
    if (received != null) {
      throw new ConformanceFailure("a " + received + " from a worker with an unknown key reached the kit");
    }
  }
}
