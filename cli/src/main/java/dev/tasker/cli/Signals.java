package dev.tasker.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so a command can drain and then exit with its
 * own status (a JVM ended by a signal exits with 128 + the signal's number, even after a clean
 * shutdown). Where the JVM does not allow it, a shutdown hook asks instead.
 */
final class Signals {

  private Signals() {}

  static void onTerminate(Runnable stopRequested) {
    try {
      Signal.handle(new Signal("TERM"), signal -> stopRequested.run());
      Signal.handle(new Signal("INT"), signal -> stopRequested.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopRequested, "tasker-stop"));
    }
  }

  /**
   * Runs {@code reload} on SIGHUP (on the JVM's signal thread: keep it short).
   *
   * @return {@code false} where the JVM does not let SIGHUP be handled
   */
  static boolean onHangup(Runnable reload) {
    try {
      Signal.handle(new Signal("HUP"), signal -> reload.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return false;
    }
  }
}
