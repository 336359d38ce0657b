package dev.tasker.cli.chaos;

/**
 * Immutable configuration of a {@link FaultProxy}; build it with {@link #builder()}. Each
 * probability is drawn independently per eligible message: first drop, then reorder, then
 * duplicate (when the message is sent).
 *
 * @param frontendEndpoint where workers connect, e.g. {@code tcp://127.0.0.1:0} (port 0 or
 *     {@code *} binds a free port; see {@link FaultProxy#frontendEndpoint()})
 * @param backendEndpoint the orchestrator's ROUTER endpoint
 * @param duplicateProbability chance (0 to 1) that an eligible message is sent twice
 * @param reorderProbability chance (0 to 1) that an eligible message is held and sent after the
 *     worker's next forwarded eligible message, or after {@link FaultProxy#MAX_HOLD_MS} at most
 * @param dropProbability chance (0 to 1) that an eligible message is not forwarded
 * @param delayMs extra delay of every eligible message, in milliseconds (0: none)
 * @param faultBatchCompletions whether {@code BATCH_COMPLETION} is eligible too
 * @param seed seed of the random generator, so a run with the same message sequence reproduces
 */
public record FaultSettings(
    String frontendEndpoint,
    String backendEndpoint,
    double duplicateProbability,
    double reorderProbability,
    double dropProbability,
    long delayMs,
    boolean faultBatchCompletions,
    long seed) {

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 20_261_127L;

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException naming the field, when one is out of range or missing
   */
  public FaultSettings {
    requireText(frontendEndpoint, "frontendEndpoint");
    requireText(backendEndpoint, "backendEndpoint");
    requireProbability(duplicateProbability, "duplicateProbability");
    requireProbability(reorderProbability, "reorderProbability");
    requireProbability(dropProbability, "dropProbability");
    if (delayMs < 0) {
      throw new IllegalArgumentException("delayMs must be >= 0 ms but was " + delayMs);
    }
  }

  /** A builder with no faults, no delay and {@link #DEFAULT_SEED}; both endpoints are required. */
  public static Builder builder() {
    return new Builder();
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  private static void requireProbability(double value, String field) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be between 0 and 1 but was " + value);
    }
  }

  /** Builds {@link FaultSettings}; not thread-safe. Each setter documents its field in {@link FaultSettings}. */
  public static final class Builder {
    private String frontendEndpoint;
    private String backendEndpoint;
    private double duplicateProbability;
    private double reorderProbability;
    private double dropProbability;
    private long delayMs;
    private boolean faultBatchCompletions;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    /** Sets {@link FaultSettings#frontendEndpoint()}. */
    public Builder frontendEndpoint(String endpoint) { frontendEndpoint = endpoint; return this; }
    /** Sets {@link FaultSettings#backendEndpoint()}. */
    public Builder backendEndpoint(String endpoint) { backendEndpoint = endpoint; return this; }
    /** Sets {@link FaultSettings#duplicateProbability()}. */
    public Builder duplicateProbability(double p) { duplicateProbability = p; return this; }
    /** Sets {@link FaultSettings#reorderProbability()}. */
    public Builder reorderProbability(double p) { reorderProbability = p; return this; }
    /** Sets {@link FaultSettings#dropProbability()}. */
    public Builder dropProbability(double p) { dropProbability = p; return this; }
    /** Sets {@link FaultSettings#delayMs()}, in milliseconds. */
    public Builder delayMs(long millis) { delayMs = millis; return this; }
    /** Sets {@link FaultSettings#faultBatchCompletions()}. */
    public Builder faultBatchCompletions(boolean on) { faultBatchCompletions = on; return this; }
    /** Sets {@link FaultSettings#seed()}. */
    public Builder seed(long value) { seed = value; return this; }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming the field, when one is invalid
     */
    public FaultSettings build() {
      return new FaultSettings(frontendEndpoint, backendEndpoint, duplicateProbability,
          reorderProbability, dropProbability, delayMs, faultBatchCompletions, seed);
    }
  }
}
