package dev.tasker.cli.conformance;

/** A scenario's check failed; the message is the detail printed on the scenario's line. */
final class ConformanceFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ConformanceFailure(String detail) {
    super(detail);
  }

  /** Fails with {@code detail} unless {@code condition} holds. */
  static void check(boolean condition, String detail) {
    if (!condition) {
      throw new ConformanceFailure(detail);
    }
  }
}
