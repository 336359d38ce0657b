package dev.tasker.cli.conformance;

/**
 * One conformance scenario: a name, what it checks (as in {@code docs/conformance.md}) and the
 * check itself, which runs against a fresh worker process that has said HELLO.
 */
record Scenario(String name, String checks, Body body) {

  /** Runs the scenario; returns the detail of a pass, throws {@link ConformanceFailure} otherwise. */
  @FunctionalInterface
  interface Body {
    String run(ScenarioRun run);
  }
}
