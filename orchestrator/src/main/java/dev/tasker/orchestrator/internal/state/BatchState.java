package dev.tasker.orchestrator.internal.state;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * States of a step execution batch: created, published (handed to the transport), executing (a
 * first result arrived), then completed (its BatchCompletion arrived), failed (it could not be
 * delivered or its worker was lost), timeout or cancelled.
 */
public enum BatchState {
  CREATED,
  PUBLISHED,
  EXECUTING,
  COMPLETED,
  FAILED,
  TIMEOUT,
  CANCELLED;

  private static final Map<BatchState, Set<BatchState>> ALLOWED =
      Map.of(
          CREATED, EnumSet.of(PUBLISHED, FAILED, CANCELLED),
          PUBLISHED, EnumSet.of(EXECUTING, COMPLETED, FAILED, TIMEOUT, CANCELLED),
          EXECUTING, EnumSet.of(COMPLETED, FAILED, TIMEOUT, CANCELLED),
          COMPLETED, EnumSet.noneOf(BatchState.class),
          FAILED, EnumSet.of(COMPLETED),
          TIMEOUT, EnumSet.of(COMPLETED),
          CANCELLED, EnumSet.noneOf(BatchState.class));

  /** The name stored in the database. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code this -> target} is allowed. */
  public boolean canTransitionTo(BatchState target) {
    return ALLOWED.get(this).contains(target);
  }

  /** @throws IllegalStateException naming both states when not allowed */
  public void requireTransitionTo(BatchState target) {
    if (!canTransitionTo(target)) {
      throw new IllegalStateException("batch transition " + dbName() + " -> " + target.dbName() + " is not allowed");
    }
  }

  /** Parses a database name. */
  public static BatchState fromDbName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
