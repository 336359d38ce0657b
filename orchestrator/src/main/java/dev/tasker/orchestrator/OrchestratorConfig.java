package dev.tasker.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import dev.tasker.protocol.Encodings;
import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;

/**
 * The orchestrator's settings. Immutable; build with {@link #builder()} or {@link #load}. Every key
 * of the YAML file can be overridden by an environment variable: {@code TASKER_} and the key in
 * upper case ({@code batch_size} by {@code TASKER_BATCH_SIZE}; {@code endpoints} takes a
 * comma-separated list).
 *
 * @param endpoints ZeroMQ endpoints the ROUTER binds ({@code tcp://host:port}, port {@code 0} or
 *     {@code *} for any free port, or {@code inproc://name})
 * @param batchSize most steps per batch
 * @param maxStepsPerRound most steps claimed in one dispatch transaction
 * @param resultTimeoutMs how long a batch may wait for its completion, in milliseconds
 * @param heartbeatIntervalMs heartbeat period both ways, in milliseconds
 * @param heartbeatLiveness missed heartbeat intervals after which a worker is declared dead
 * @param sendHighWaterMark most messages queued to send on the ROUTER
 * @param receiveHighWaterMark most messages queued received on the ROUTER
 * @param maxMessageBytes largest message accepted, in bytes
 * @param poolSize database connections, at least 4 (listener, dispatcher, applier, clients)
 * @param sweepIntervalMs longest the dispatcher sleeps without being woken, in milliseconds
 * @param maxResultsPerTransaction most received messages applied in one transaction
 * @param maxQueuedResults most received results waiting to be applied; above it the orchestrator
 *     stops reading from workers until the applier catches up (they wait in ZeroMQ's buffers)
 * @param appliers threads applying results, each with its own connection; a worker's results
 *     and events all go to one of them, in arrival order
 * @param encodings body encodings offered to workers, most preferred first ({@code json},
 *     {@code protobuf}); a session uses the first one the worker also accepts
 * @param allowInsecure whether a {@code tcp://} endpoint may bind an address other hosts can
 *     reach without CURVE; without CURVE the transport has no encryption or worker authentication,
 *     so only loopback addresses ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}) are accepted
 *     unless this is set
 * @param advertisedEndpoints the {@code tcp://} endpoints other orchestrators tell workers to
 *     connect to (in WELCOME, from the {@code orchestrators} table); empty: the bound ones, with a
 *     wildcard host ({@code *}, {@code 0.0.0.0}) replaced by this machine's host name
 * @param curveSecretKeyFile the orchestrator's CURVE secret key file (one Z85 key, from {@code
 *     tasker keys generate}), or {@code null} for no CURVE; set together with {@code
 *     curveAuthorizedKeysFile}
 * @param curveAuthorizedKeysFile a file of the workers' CURVE public keys allowed to connect, one
 *     Z85 key per line, {@code #} comments allowed; reloaded by {@link
 *     Orchestrator#reloadAuthorizedKeys()}
 * @param retentionDays days a finished task (and its steps, transitions, batches and ledger rows)
 *     is kept after it finished; 0 keeps everything
 * @param httpEndpoint where the HTTP API, health checks, metrics and dashboard listen ({@code
 *     host:port}, port {@code 0} for any free port), or {@code off}. {@link #load} (the settings
 *     file, the environment, {@code tasker orchestrator}) defaults to {@value #DEFAULT_HTTP_ENDPOINT};
 *     {@link #builder()} defaults to {@code off}, so an orchestrator embedded in an application or
 *     a test opens no HTTP port unless asked
 * @param apiTokens the bearer tokens the HTTP API accepts, by role; none is allowed only when
 *     {@code httpEndpoint} is a loopback address
 * @param maxBatchWorkersPerTask most batch workers one task may have; a batchable step's plan
 *     asking for more fails the step, naming the bound
 */
public record OrchestratorConfig(
    List<String> endpoints,
    int batchSize,
    int maxStepsPerRound,
    long resultTimeoutMs,
    long heartbeatIntervalMs,
    int heartbeatLiveness,
    int sendHighWaterMark,
    int receiveHighWaterMark,
    int maxMessageBytes,
    int poolSize,
    long sweepIntervalMs,
    int maxResultsPerTransaction,
    int maxQueuedResults,
    int appliers,
    List<String> encodings,
    boolean allowInsecure,
    List<String> advertisedEndpoints,
    Path curveSecretKeyFile,
    Path curveAuthorizedKeysFile,
    int retentionDays,
    String httpEndpoint,
    ApiTokens apiTokens,
    int maxBatchWorkersPerTask) {

  /** Default endpoint. */
  public static final String DEFAULT_ENDPOINT = "tcp://127.0.0.1:5555";
  /** Default steps per batch. */
  public static final int DEFAULT_BATCH_SIZE = 50;
  /** Default steps claimed per dispatch transaction. */
  public static final int DEFAULT_MAX_STEPS_PER_ROUND = 1000;
  /** Default batch result timeout: 5 minutes, in milliseconds. */
  public static final long DEFAULT_RESULT_TIMEOUT_MS = 300_000;
  /**
   * Default heartbeat interval: 1 second. With the default liveness of 3, a dead worker is noticed
   * within 3 to 4 seconds, inside the 5-second promise, while a busy machine's scheduling hiccups
   * of a few hundred milliseconds do not kill healthy workers.
   */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
  /** Default missed heartbeats before a worker is dead. */
  public static final int DEFAULT_HEARTBEAT_LIVENESS = 3;
  /** Default ROUTER high-water marks, in messages. */
  public static final int DEFAULT_HIGH_WATER_MARK = 100_000;
  /** Default largest message: 16 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
  /** Default connection pool size. */
  public static final int DEFAULT_POOL_SIZE = 10;
  /** Default safety-net sweep: 5 seconds. */
  public static final long DEFAULT_SWEEP_INTERVAL_MS = 5000;
  /**
   * Default encodings: JSON first, so JSON is used unless configured otherwise; protobuf is
   * accepted from a worker that offers only protobuf.
   */
  public static final List<String> DEFAULT_ENCODINGS = Encodings.SUPPORTED;
  /** Default messages per result transaction. */
  public static final int DEFAULT_MAX_RESULTS_PER_TRANSACTION = 2000;
  /** Default most results waiting to be applied. */
  public static final int DEFAULT_MAX_QUEUED_RESULTS = 20_000;
  /**
   * Default result appliers: 1. Since an applier under load waits up to 2 ms to fill a transaction,
   * one applier drained as fast as two on a 2-core machine against its own PostgreSQL, and
   * several orchestrators on one database no longer split the results into twice as many commits
   * (docs/performance.md, docs/scaling.md). More help where PostgreSQL has cores to spare.
   */
  public static final int DEFAULT_APPLIERS = 1;
  /** Default retention of finished tasks: 30 days. */
  public static final int DEFAULT_RETENTION_DAYS = 30;
  /** Longest retention that is not "keep everything": 100 years. */
  public static final int MAX_RETENTION_DAYS = 36_500;
  /** The HTTP endpoint of a configured orchestrator ({@link #load}): loopback, port 8080. */
  public static final String DEFAULT_HTTP_ENDPOINT = "127.0.0.1:8080";
  /** The {@code http_endpoint} value that turns the HTTP server off. */
  public static final String HTTP_OFF = "off";
  /** Default {@code max_batch_workers_per_task}. */
  public static final int DEFAULT_MAX_BATCH_WORKERS_PER_TASK = 10_000;
  /** Most result appliers. */
  public static final int MAX_APPLIERS = 16;

  private static final Set<String> KEYS =
      Set.of("endpoints", "batch_size", "max_steps_per_round", "result_timeout_ms", "heartbeat_interval_ms",
          "heartbeat_liveness", "send_high_water_mark", "receive_high_water_mark", "max_message_bytes",
          "pool_size", "sweep_interval_ms", "max_results_per_transaction", "max_queued_results", "appliers", "encodings",
          "allow_insecure", "advertised_endpoints", "curve_secret_key_file", "curve_authorized_keys_file",
          "retention_days", "http_endpoint", "api_read_tokens", "api_operate_tokens",
          "max_batch_workers_per_task");

  /** Validates every field, naming the key and the constraint. */
  public OrchestratorConfig {
    endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
    if (endpoints.isEmpty()) {
      throw new ConfigurationException("endpoints must list at least one endpoint");
    }
    for (String endpoint : endpoints) {
      if (!endpoint.startsWith("tcp://") && !endpoint.startsWith("inproc://")) {
        throw new ConfigurationException("endpoints: '" + endpoint + "' must start with tcp:// or inproc://");
      }
      if (!allowInsecure && curveSecretKeyFile == null && !isLocal(endpoint)) {
        throw new ConfigurationException("endpoints: '" + endpoint + "' can be reached from other hosts, and"
            + " without CURVE the transport has no encryption or worker authentication: anyone who reaches it could"
            + " register as a worker, receive task contexts and send results. Bind a loopback address"
            + " (tcp://127.0.0.1:PORT), configure CURVE (curve_secret_key_file and curve_authorized_keys_file;"
            + " docs/operations.md), or set allow_insecure: true (TASKER_ALLOW_INSECURE=true; tasker orchestrator"
            + " --allow-insecure) on a network you trust");
      }
    }
    atLeast("batch_size", batchSize, 1);
    atLeast("max_steps_per_round", maxStepsPerRound, 1);
    atLeast("result_timeout_ms", resultTimeoutMs, 1);
    atLeast("heartbeat_interval_ms", heartbeatIntervalMs, 1);
    atLeast("heartbeat_liveness", heartbeatLiveness, 1);
    atLeast("send_high_water_mark", sendHighWaterMark, 1);
    atLeast("receive_high_water_mark", receiveHighWaterMark, 1);
    atLeast("max_message_bytes", maxMessageBytes, 1024);
    atLeast("pool_size", poolSize, 4);
    atLeast("sweep_interval_ms", sweepIntervalMs, 1);
    atLeast("max_results_per_transaction", maxResultsPerTransaction, 1);
    atLeast("max_batch_workers_per_task", maxBatchWorkersPerTask, 1);
    atLeast("max_queued_results", maxQueuedResults, 1);
    if (appliers < 1 || appliers > MAX_APPLIERS) {
      throw new ConfigurationException("appliers must be from 1 to " + MAX_APPLIERS + " but was " + appliers);
    }
    if (retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
      throw new ConfigurationException("retention_days must be from 0 (keep everything) to " + MAX_RETENTION_DAYS
          + " but was " + retentionDays);
    }
    if (poolSize < appliers + 3) {
      throw new ConfigurationException("pool_size must be at least appliers + 3 (" + (appliers + 3)
          + ": the listener, the dispatcher, each applier and clients) but was " + poolSize);
    }
    encodings = List.copyOf(Objects.requireNonNull(encodings, "encodings"));
    if (encodings.isEmpty()) {
      throw new ConfigurationException("encodings must list at least one encoding");
    }
    for (String encoding : encodings) {
      if (!Encodings.SUPPORTED.contains(encoding)) {
        throw new ConfigurationException(
            "encodings: '" + encoding + "' is not an encoding; known: " + Encodings.SUPPORTED);
      }
    }
    if (Set.copyOf(encodings).size() != encodings.size()) {
      throw new ConfigurationException("encodings must not name an encoding twice but was " + encodings);
    }
    advertisedEndpoints = List.copyOf(Objects.requireNonNull(advertisedEndpoints, "advertisedEndpoints"));
    for (String endpoint : advertisedEndpoints) {
      if (!endpoint.startsWith("tcp://") || endpoint.length() == "tcp://".length()) {
        throw new ConfigurationException("advertised_endpoints: '" + endpoint + "' must be a tcp://host:port endpoint");
      }
    }
    if ((curveSecretKeyFile == null) != (curveAuthorizedKeysFile == null)) {
      throw new ConfigurationException(curveSecretKeyFile == null
          ? "curve_authorized_keys_file is set but curve_secret_key_file is not: CURVE needs both"
          : "curve_secret_key_file is set but curve_authorized_keys_file is not: CURVE needs both");
    }
    httpEndpoint = Objects.requireNonNullElse(httpEndpoint, HTTP_OFF).trim();
    apiTokens = Objects.requireNonNullElse(apiTokens, ApiTokens.NONE);
    if (!httpEndpoint.equals(HTTP_OFF)) {
      HttpEndpoint parsed = HttpEndpoint.parse(httpEndpoint);
      if (apiTokens.isEmpty() && !parsed.isLoopback()) {
        throw new ConfigurationException("http_endpoint: '" + httpEndpoint + "' can be reached from other hosts,"
            + " and no API token is configured: anyone who reaches it could read task contexts and create or cancel"
            + " tasks. Bind a loopback address (127.0.0.1:PORT) or set api_read_tokens / api_operate_tokens"
            + " (TASKER_API_READ_TOKENS, TASKER_API_OPERATE_TOKENS; docs/api.md)");
      }
    }
    if (curveSecretKeyFile != null) {
      // Fields are assigned only after this compact constructor: read through the parameters.
      readCurveSecretKey(curveSecretKeyFile);
      readAuthorizedKeys(curveAuthorizedKeysFile);
    }
  }

  /** The parsed {@code http_endpoint}, or empty when it is {@code off}. */
  public java.util.Optional<HttpEndpoint> http() {
    return httpEndpoint.equals(HTTP_OFF) ? java.util.Optional.empty() : java.util.Optional.of(HttpEndpoint.parse(httpEndpoint));
  }

  /** Whether the ROUTER is a CURVE server that authenticates workers. */
  public boolean curve() {
    return curveSecretKeyFile != null;
  }

  /**
   * Reads {@code curve_secret_key_file}.
   *
   * @throws ConfigurationException naming the setting and what is wrong with the file
   * @throws IllegalStateException when CURVE is not configured
   */
  public CurveKeyPair readCurveSecretKey() {
    requireCurve();
    return readCurveSecretKey(curveSecretKeyFile);
  }

  private static CurveKeyPair readCurveSecretKey(Path file) {
    try {
      return CurveKeys.readSecretKeyFile(file);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("curve_secret_key_file: " + e.getMessage());
    }
  }

  /**
   * Reads {@code curve_authorized_keys_file}: the Z85 public keys of the workers allowed to connect.
   *
   * @throws ConfigurationException naming the setting and what is wrong with the file
   * @throws IllegalStateException when CURVE is not configured
   */
  public Set<String> readAuthorizedKeys() {
    requireCurve();
    return readAuthorizedKeys(curveAuthorizedKeysFile);
  }

  private static Set<String> readAuthorizedKeys(Path file) {
    try {
      return Set.copyOf(CurveKeys.readKeyLines(file));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("curve_authorized_keys_file: " + e.getMessage());
    }
  }

  private void requireCurve() {
    if (curveSecretKeyFile == null) {
      throw new IllegalStateException("CURVE is not configured (curve_secret_key_file)");
    }
  }

  /**
   * Whether only this machine can reach {@code endpoint}: {@code inproc://}, or {@code tcp://} on a
   * literal loopback address ({@code 127.0.0.0/8}, {@code [::1]}) or {@code localhost}. Host names,
   * interface names and {@code *} count as reachable from elsewhere; nothing is looked up.
   */
  public static boolean isLocal(String endpoint) {
    if (endpoint.startsWith("inproc://")) {
      return true;
    }
    if (!endpoint.startsWith("tcp://")) {
      return false;
    }
    String address = endpoint.substring("tcp://".length());
    int portAt = address.lastIndexOf(':');
    String host = portAt < 0 ? address : address.substring(0, portAt);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !host.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return false;
    }
    try {
      // A literal: parsed, never resolved.
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Those of {@code endpoints} that other hosts can reach (see {@link #isLocal}), in order; an
   * orchestrator without CURVE warns about them.
   */
  public static List<String> exposed(List<String> endpoints) {
    return endpoints.stream().filter(endpoint -> !isLocal(endpoint)).toList();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a YAML file (if given) and then the environment overrides.
   *
   * @param yamlFile a file of {@code key: value} lines, or {@code null}
   * @param environment usually {@code System.getenv()}
   * @throws ConfigurationException naming an unknown key, a value of the wrong type or out of range
   */
  public static OrchestratorConfig load(Path yamlFile, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    if (yamlFile != null) {
      values.putAll(readYaml(yamlFile));
    }
    for (String key : KEYS) {
      String override = environment.get("TASKER_" + key.toUpperCase(Locale.ROOT));
      if (override != null && !override.isBlank()) {
        values.put(key, override.trim());
      }
    }
    Builder builder = builder().httpEndpoint(DEFAULT_HTTP_ENDPOINT);
    values.forEach((key, value) -> builder.set(key, value));
    return builder.build();
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode tree;
    try {
      tree = new YAMLMapper().readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(file + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigurationException(file + ": cannot be read: " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (tree == null || tree.isNull()) {
      return values;
    }
    if (!tree.isObject()) {
      throw new ConfigurationException(file + ": must be a mapping of settings");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = tree.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!KEYS.contains(field.getKey())) {
        throw new ConfigurationException(file + ": unknown setting '" + field.getKey() + "'; known: " + KEYS);
      }
      JsonNode value = field.getValue();
      if (value.isArray()) {
        List<String> items = new ArrayList<>();
        value.forEach(item -> items.add(item.asText()));
        values.put(field.getKey(), String.join(",", items));
      } else if (value.isValueNode()) {
        values.put(field.getKey(), value.asText());
      } else {
        throw new ConfigurationException(file + ": " + field.getKey() + " must be a value or a list");
      }
    }
    return values;
  }

  private static void atLeast(String key, long value, long minimum) {
    if (value < minimum) {
      throw new ConfigurationException(key + " must be >= " + minimum + " but was " + value);
    }
  }

  /** Builds an {@link OrchestratorConfig}. Not thread-safe. */
  public static final class Builder {
    private List<String> endpoints = List.of(DEFAULT_ENDPOINT);
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxStepsPerRound = DEFAULT_MAX_STEPS_PER_ROUND;
    private long resultTimeoutMs = DEFAULT_RESULT_TIMEOUT_MS;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private int heartbeatLiveness = DEFAULT_HEARTBEAT_LIVENESS;
    private int sendHighWaterMark = DEFAULT_HIGH_WATER_MARK;
    private int receiveHighWaterMark = DEFAULT_HIGH_WATER_MARK;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int poolSize = DEFAULT_POOL_SIZE;
    private long sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS;
    private int maxResultsPerTransaction = DEFAULT_MAX_RESULTS_PER_TRANSACTION;
    private int maxBatchWorkersPerTask = DEFAULT_MAX_BATCH_WORKERS_PER_TASK;
    private int maxQueuedResults = DEFAULT_MAX_QUEUED_RESULTS;
    private int retentionDays = DEFAULT_RETENTION_DAYS;
    private int appliers = DEFAULT_APPLIERS;
    private List<String> encodings = DEFAULT_ENCODINGS;
    private boolean allowInsecure;
    private List<String> advertisedEndpoints = List.of();
    private Path curveSecretKeyFile;
    private Path curveAuthorizedKeysFile;
    private String httpEndpoint = HTTP_OFF;
    private List<String> apiReadTokens = List.of();
    private List<String> apiOperateTokens = List.of();

    private Builder() {}

    /** Sets {@code http_endpoint}: {@code host:port} (port 0 for any free one) or {@code off}. */
    public Builder httpEndpoint(String httpEndpoint) {
      this.httpEndpoint = httpEndpoint;
      return this;
    }

    /** Sets {@code api_read_tokens} and {@code api_operate_tokens}. */
    public Builder apiTokens(List<String> readTokens, List<String> operateTokens) {
      this.apiReadTokens = List.copyOf(readTokens);
      this.apiOperateTokens = List.copyOf(operateTokens);
      return this;
    }

    /** Sets {@code endpoints}. */
    public Builder endpoints(String... endpoints) {
      this.endpoints = List.of(endpoints);
      return this;
    }

    /** Sets {@code batch_size}. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Sets {@code max_steps_per_round}. */
    public Builder maxStepsPerRound(int maxStepsPerRound) {
      this.maxStepsPerRound = maxStepsPerRound;
      return this;
    }

    /** Sets {@code result_timeout_ms}. */
    public Builder resultTimeoutMs(long resultTimeoutMs) {
      this.resultTimeoutMs = resultTimeoutMs;
      return this;
    }

    /** Sets {@code heartbeat_interval_ms}. */
    public Builder heartbeatIntervalMs(long heartbeatIntervalMs) {
      this.heartbeatIntervalMs = heartbeatIntervalMs;
      return this;
    }

    /** Sets {@code heartbeat_liveness}. */
    public Builder heartbeatLiveness(int heartbeatLiveness) {
      this.heartbeatLiveness = heartbeatLiveness;
      return this;
    }

    /** Sets both high-water marks. */
    public Builder highWaterMarks(int send, int receive) {
      this.sendHighWaterMark = send;
      this.receiveHighWaterMark = receive;
      return this;
    }

    /** Sets {@code max_message_bytes}. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** Sets {@code pool_size}. */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /** Sets {@code sweep_interval_ms}. */
    public Builder sweepIntervalMs(long sweepIntervalMs) {
      this.sweepIntervalMs = sweepIntervalMs;
      return this;
    }

    /** Sets {@code max_batch_workers_per_task}. */
    public Builder maxBatchWorkersPerTask(int maxBatchWorkersPerTask) {
      this.maxBatchWorkersPerTask = maxBatchWorkersPerTask;
      return this;
    }

    /** Sets {@code max_results_per_transaction}. */
    public Builder maxResultsPerTransaction(int maxResultsPerTransaction) {
      this.maxResultsPerTransaction = maxResultsPerTransaction;
      return this;
    }

    /** Sets {@code retention_days}. */
    public Builder retentionDays(int retentionDays) {
      this.retentionDays = retentionDays;
      return this;
    }

    /** Sets {@code max_queued_results}. */
    public Builder maxQueuedResults(int maxQueuedResults) {
      this.maxQueuedResults = maxQueuedResults;
      return this;
    }

    /** Sets {@code appliers}. */
    public Builder appliers(int appliers) {
      this.appliers = appliers;
      return this;
    }

    /** Sets {@code encodings}, most preferred first. */
    public Builder encodings(String... encodings) {
      this.encodings = List.of(encodings);
      return this;
    }

    /** Sets {@code allow_insecure}: endpoints other hosts can reach, without encryption. */
    public Builder allowInsecure(boolean allowInsecure) {
      this.allowInsecure = allowInsecure;
      return this;
    }

    /** Sets {@code advertised_endpoints}: where other hosts' workers reach this orchestrator. */
    public Builder advertisedEndpoints(String... advertisedEndpoints) {
      this.advertisedEndpoints = List.of(advertisedEndpoints);
      return this;
    }

    /**
     * Sets {@code curve_secret_key_file} and {@code curve_authorized_keys_file}: the ROUTER becomes a
     * CURVE server accepting only the listed workers' keys; {@code null} for both turns CURVE off.
     */
    public Builder curve(Path secretKeyFile, Path authorizedKeysFile) {
      this.curveSecretKeyFile = secretKeyFile;
      this.curveAuthorizedKeysFile = authorizedKeysFile;
      return this;
    }

    Builder set(String key, String value) {
      switch (key) {
        case "endpoints" -> endpoints = list(value);
        case "batch_size" -> batchSize = (int) number(key, value);
        case "max_steps_per_round" -> maxStepsPerRound = (int) number(key, value);
        case "result_timeout_ms" -> resultTimeoutMs = number(key, value);
        case "heartbeat_interval_ms" -> heartbeatIntervalMs = number(key, value);
        case "heartbeat_liveness" -> heartbeatLiveness = (int) number(key, value);
        case "send_high_water_mark" -> sendHighWaterMark = (int) number(key, value);
        case "receive_high_water_mark" -> receiveHighWaterMark = (int) number(key, value);
        case "max_message_bytes" -> maxMessageBytes = (int) number(key, value);
        case "pool_size" -> poolSize = (int) number(key, value);
        case "sweep_interval_ms" -> sweepIntervalMs = number(key, value);
        case "max_results_per_transaction" -> maxResultsPerTransaction = (int) number(key, value);
        case "max_batch_workers_per_task" -> maxBatchWorkersPerTask = (int) number(key, value);
        case "max_queued_results" -> maxQueuedResults = (int) number(key, value);
        case "retention_days" -> retentionDays = (int) number(key, value);
        case "appliers" -> appliers = (int) number(key, value);
        case "encodings" -> encodings = list(value);
        case "allow_insecure" -> allowInsecure = bool(key, value);
        case "advertised_endpoints" -> advertisedEndpoints = list(value);
        case "curve_secret_key_file" -> curveSecretKeyFile = path(value);
        case "curve_authorized_keys_file" -> curveAuthorizedKeysFile = path(value);
        case "http_endpoint" -> httpEndpoint = value.trim();
        case "api_read_tokens" -> apiReadTokens = list(value);
        case "api_operate_tokens" -> apiOperateTokens = list(value);
        default -> throw new ConfigurationException("unknown setting '" + key + "'");
      }
      return this;
    }

    /** A comma-separated list, blanks dropped. */
    private static List<String> list(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Path path(String value) {
      return value.isBlank() ? null : Path.of(value.trim());
    }

    private static boolean bool(String key, String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.parseBoolean(v);
      }
      throw new ConfigurationException(key + " must be true or false but was '" + value + "'");
    }

    private static long number(String key, String value) {
      try {
        long parsed = Long.parseLong(value.trim());
        if (parsed > Integer.MAX_VALUE && !key.endsWith("_ms")) {
          throw new ConfigurationException(key + " must be <= " + Integer.MAX_VALUE + " but was " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new ConfigurationException(key + " must be a whole number but was '" + value + "'");
      }
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException naming the first invalid setting
     */
    public OrchestratorConfig build() {
      return new OrchestratorConfig(endpoints, batchSize, maxStepsPerRound, resultTimeoutMs, heartbeatIntervalMs,
          heartbeatLiveness, sendHighWaterMark, receiveHighWaterMark, maxMessageBytes, poolSize, sweepIntervalMs,
          maxResultsPerTransaction, maxQueuedResults, appliers, encodings, allowInsecure, advertisedEndpoints,
          curveSecretKeyFile, curveAuthorizedKeysFile, retentionDays, httpEndpoint,
          new ApiTokens(apiReadTokens, apiOperateTokens), maxBatchWorkersPerTask);
    }
  }
}
