package dev.tasker.orchestrator;

import java.time.Instant;
import java.util.List;

/**
 * A worker as recorded in the database.
 *
 * @param workerId its id
 * @param language its implementation language
 * @param sdkVersion its SDK version
 * @param state active, draining, gone (said goodbye) or dead (missed its heartbeats)
 * @param handlers the handlers it serves
 * @param concurrency its credit: the sum of the shares it gives the live orchestrators, as each last
 *     heard them (its CREDIT messages, recorded every heartbeat interval; its HELLO's concurrency
 *     before that)
 * @param lastHeartbeatAt when it was last heard from (recorded every heartbeat interval, by the database's clock)
 */
public record WorkerSnapshot(
    String workerId,
    String language,
    String sdkVersion,
    String state,
    List<String> handlers,
    int concurrency,
    Instant lastHeartbeatAt) {}
