package dev.tasker.client;

import java.time.Instant;
import java.util.List;

/**
 * A worker as the orchestrators recorded it ({@code GET /v1/workers}).
 *
 * @param workerId its id
 * @param language its implementation language
 * @param sdkVersion its SDK's version
 * @param state {@code active}, {@code draining}, {@code gone} (said goodbye) or {@code dead}
 *     (missed its heartbeats)
 * @param handlers the handlers it serves
 * @param concurrency its credit: how many steps it takes at once
 * @param lastHeartbeatAt when it was last heard from
 */
public record Worker(
    String workerId,
    String language,
    String sdkVersion,
    String state,
    List<String> handlers,
    int concurrency,
    Instant lastHeartbeatAt) {

  /** A missing list becomes an empty one. */
  public Worker {
    handlers = handlers == null ? List.of() : List.copyOf(handlers);
  }
}
