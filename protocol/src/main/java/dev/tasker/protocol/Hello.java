package dev.tasker.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * Worker to orchestrator, first message of a session: who the worker is, what it can run and how
 * much it can run at once.
 *
 * @param workerId unique id of the worker process (the Java SDK uses a UUIDv7); stable across
 *     reconnects of the same process
 * @param language implementation language of the worker, for operators ("java", "ruby")
 * @param sdkVersion version of the worker library, for operators
 * @param protocolVersions protocol versions the worker speaks, most preferred first
 * @param handlers handler (callable) names the worker serves; the orchestrator only sends steps
 *     whose handler is listed here
 * @param concurrency the worker's initial credit: how many steps it may hold at once, at least 1
 * @param encodings body encodings the worker accepts, most preferred first; absent means
 *     {@code ["json"]}
 * @param heldBatches batches the worker holds: not finished, or with results not yet acknowledged;
 *     absent when the worker does not keep track. A restarted orchestrator runs again the steps of
 *     batches sent to this worker id by an earlier orchestrator that are not listed.
 */
public record Hello(
    @JsonProperty(required = true) String workerId,
    @JsonProperty(required = true) String language,
    @JsonProperty(required = true) String sdkVersion,
    @JsonProperty(required = true) List<String> protocolVersions,
    @JsonProperty(required = true) List<String> handlers,
    @JsonProperty(required = true) int concurrency,
    List<String> encodings,
    List<UUID> heldBatches)
    implements Message {

  /** The encoding every peer supports. */
  public static final String JSON_ENCODING = "json";

  /** Validates and copies the fields. */
  public Hello {
    Checks.requiredText(workerId, "worker_id");
    Checks.requiredText(language, "language");
    Checks.requiredText(sdkVersion, "sdk_version");
    protocolVersions = Checks.copyOf(protocolVersions, "protocol_versions");
    if (protocolVersions.isEmpty()) {
      throw new IllegalArgumentException("protocol_versions must not be empty");
    }
    handlers = Checks.copyOf(handlers, "handlers");
    Checks.atLeast(concurrency, 1, "concurrency");
    encodings = encodings == null ? List.of(JSON_ENCODING) : Checks.copyOf(encodings, "encodings");
    heldBatches = heldBatches == null ? null : Checks.copyOf(heldBatches, "held_batches");
  }

  /** A HELLO from a worker that does not report the batches it holds. */
  public Hello(String workerId, String language, String sdkVersion, List<String> protocolVersions,
      List<String> handlers, int concurrency, List<String> encodings) {
    this(workerId, language, sdkVersion, protocolVersions, handlers, concurrency, encodings, null);
  }

  @Override
  public MessageType type() {
    return MessageType.HELLO;
  }
}
