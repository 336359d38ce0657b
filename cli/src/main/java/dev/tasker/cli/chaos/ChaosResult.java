package dev.tasker.cli.chaos;

/**
 * What one scenario left in the database.
 *
 * @param scenario the scenario's name
 * @param tasks tasks submitted
 * @param complete tasks that completed
 * @param doubleApplied steps whose completion was applied more than once
 * @param recoveryMs from the fault to the first re-dispatch of affected work; 0 when the fault
 *     needs no re-dispatch (messages duplicated, reordered or dropped)
 * @param maxRecoveryMs the most {@code recoveryMs} may be for the scenario to pass, or -1 for no
 *     bound
 */
public record ChaosResult(
    String scenario, int tasks, long complete, long doubleApplied, long recoveryMs, long maxRecoveryMs) {

  /** Tasks that did not complete. */
  public long lost() {
    return tasks - complete;
  }

  /** Whether nothing was lost, nothing applied twice, and recovery was quick enough. */
  public boolean passed() {
    return lost() == 0 && doubleApplied == 0 && recoveryMs >= 0 && (maxRecoveryMs < 0 || recoveryMs <= maxRecoveryMs);
  }

  /** The scenario's one line. */
  public String line() {
    return "chaos: scenario=" + scenario + " tasks=" + tasks + " complete=" + complete + " lost=" + lost()
        + " double_applied=" + doubleApplied + " recovery_ms=" + recoveryMs;
  }
}
