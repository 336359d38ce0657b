package dev.tasker.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import dev.tasker.protocol.proto.v1.TaskerV1;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The protobuf encoding of message bodies, {@code protobuf}: each body is the message of the same
 * name in {@code tasker/v1/tasker.proto} (package {@code tasker.v1}). Free-form JSON values travel
 * as JSON text in {@code *_json} fields so that no number changes on the way; ids are UUID
 * strings; timestamps are {@code google.protobuf.Timestamp}. Decoding applies the same checks as
 * {@link JsonCodec}: a missing required field, an id that is not a UUID or a value out of range is
 * a {@link MalformedMessageException} naming the field. Output is deterministic (map entries sorted
 * by key), so equal messages encode to equal bytes. Stateless and thread-safe.
 */
public final class ProtobufCodec implements MessageCodec {

  /** The encoding name, {@code protobuf}. */
  public static final String ENCODING = "protobuf";

  private static final ProtobufCodec INSTANCE = new ProtobufCodec();
  private static final JsonCodec JSON = JsonCodec.instance();
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private ProtobufCodec() {}

  /** The shared instance. */
  public static ProtobufCodec instance() {
    return INSTANCE;
  }

  @Override
  public String encoding() {
    return ENCODING;
  }

  @Override
  public byte[] encode(Message message) {
    MessageLite proto = switch (message.type()) {
      case HELLO -> hello((Hello) message);
      case WELCOME -> welcome((Welcome) message);
      case REJECT -> {
        Reject m = (Reject) message;
        yield TaskerV1.Reject.newBuilder()
            .setWorkerId(m.workerId())
            .setReason(m.reason())
            .addAllSupportedVersions(m.supportedVersions())
            .build();
      }
      case HEARTBEAT ->
          TaskerV1.Heartbeat.newBuilder().setSentAt(timestamp(((Heartbeat) message).sentAt())).build();
      case CREDIT -> TaskerV1.Credit.newBuilder().setCredit(((Credit) message).credit()).build();
      case GOODBYE -> TaskerV1.Goodbye.newBuilder().setReason(((Goodbye) message).reason()).build();
      case STEP_BATCH -> stepBatch((StepBatchRequest) message);
      case PARTIAL_RESULT -> partialResult((PartialResult) message);
      case BATCH_COMPLETION -> batchCompletion((BatchCompletion) message);
      case ACK -> ack((Ack) message);
      case ERROR -> protocolError((ProtocolError) message);
    };
    return deterministic(proto);
  }

  @Override
  public Message decode(MessageType type, byte[] body) {
    try {
      return switch (type) {
        case HELLO -> hello(TaskerV1.Hello.parseFrom(body));
        case WELCOME -> welcome(TaskerV1.Welcome.parseFrom(body));
        case REJECT -> {
          TaskerV1.Reject m = TaskerV1.Reject.parseFrom(body);
          yield new Reject(m.getWorkerId(), m.getReason(), m.getSupportedVersionsList());
        }
        case HEARTBEAT -> {
          TaskerV1.Heartbeat m = TaskerV1.Heartbeat.parseFrom(body);
          yield new Heartbeat(instant(m.hasSentAt(), m.getSentAt(), "sent_at"));
        }
        case CREDIT -> new Credit(TaskerV1.Credit.parseFrom(body).getCredit());
        case GOODBYE -> new Goodbye(TaskerV1.Goodbye.parseFrom(body).getReason());
        case STEP_BATCH -> stepBatch(TaskerV1.StepBatch.parseFrom(body));
        case PARTIAL_RESULT -> partialResult(TaskerV1.PartialResult.parseFrom(body));
        case BATCH_COMPLETION -> batchCompletion(TaskerV1.BatchCompletion.parseFrom(body));
        case ACK -> ack(TaskerV1.Ack.parseFrom(body));
        case ERROR -> protocolError(TaskerV1.ProtocolError.parseFrom(body));
      };
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_BODY,
          type.wireName() + ": not a valid protobuf " + type.wireName() + " body: " + e.getMessage(),
          type.wireName(),
          e);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(
          ErrorCode.MALFORMED_BODY, type.wireName() + ": " + e.getMessage(), type.wireName(), e);
    }
  }

  // ---- encoding ----

  private static TaskerV1.Hello hello(Hello m) {
    TaskerV1.Hello.Builder b = TaskerV1.Hello.newBuilder()
        .setWorkerId(m.workerId())
        .setLanguage(m.language())
        .setSdkVersion(m.sdkVersion())
        .addAllProtocolVersions(m.protocolVersions())
        .addAllHandlers(m.handlers())
        .setConcurrency(m.concurrency())
        .addAllEncodings(m.encodings());
    if (m.heldBatches() != null) {
      b.setHeldBatches(TaskerV1.BatchIdList.newBuilder().addAllBatchIds(strings(m.heldBatches())));
    }
    return b.build();
  }

  private static TaskerV1.StepBatch stepBatch(StepBatchRequest m) {
    TaskerV1.StepBatch.Builder b = TaskerV1.StepBatch.newBuilder()
        .setBatchId(m.batchId().toString())
        .setProtocolVersion(m.protocolVersion());
    for (StepExecutionRequest step : m.steps()) {
      TaskerV1.StepExecutionRequest.Builder s = TaskerV1.StepExecutionRequest.newBuilder()
          .setStepId(step.stepId().toString())
          .setTaskId(step.taskId().toString())
          .setStepName(step.stepName())
          .setHandler(step.handler())
          .setHandlerConfigJson(JSON.writeValue(step.handlerConfig()))
          .setTaskContextJson(JSON.writeValue(step.taskContext()))
          .setMetadata(TaskerV1.StepMetadata.newBuilder()
              .setAttempt(step.metadata().attempt())
              .setMaxAttempts(step.metadata().maxAttempts())
              .setTimeoutMs(step.metadata().timeoutMs()));
      step.previousResults().forEach((name, output) -> s.putPreviousResultsJson(name, JSON.writeValue(output)));
      if (!step.inputs().isEmpty()) {
        s.setInputsJson(JSON.writeValue(step.inputs()));
      }
      if (step.checkpoint() != null) {
        s.setCheckpointJson(JSON.writeValue(step.checkpoint()));
      }
      b.addSteps(s);
    }
    return b.build();
  }

  private static TaskerV1.PartialResult partialResult(PartialResult m) {
    TaskerV1.PartialResult.Builder b = TaskerV1.PartialResult.newBuilder()
        .setBatchId(m.batchId().toString())
        .setStepId(m.stepId().toString())
        .setAttempt(m.attempt())
        .setStatus(status(m.status()))
        .setWorkerId(m.workerId())
        .setSequence(m.sequence())
        .setTimestamp(timestamp(m.timestamp()))
        .setExecutionTimeMs(m.executionTimeMs());
    if (m.output() != null) {
      b.setOutputJson(JSON.writeValue(m.output()));
    }
    if (m.error() != null) {
      b.setError(error(m.error()));
    }
    if (m.checkpoint() != null) {
      b.setCheckpointJson(JSON.writeValue(m.checkpoint()));
    }
    return b.build();
  }

  private static TaskerV1.BatchCompletion batchCompletion(BatchCompletion m) {
    TaskerV1.BatchCompletion.Builder b = TaskerV1.BatchCompletion.newBuilder()
        .setBatchId(m.batchId().toString())
        .setTotalSteps(m.totalSteps())
        .setCompletedSteps(m.completedSteps())
        .setFailedSteps(m.failedSteps())
        .setInProgressSteps(m.inProgressSteps())
        .setCompletedAt(timestamp(m.completedAt()));
    for (StepSummary summary : m.stepSummaries()) {
      TaskerV1.StepSummary.Builder s = TaskerV1.StepSummary.newBuilder()
          .setStepId(summary.stepId().toString())
          .setAttempt(summary.attempt())
          .setStatus(status(summary.status()))
          .setExecutionTimeMs(summary.executionTimeMs());
      if (summary.output() != null) {
        s.setOutputJson(JSON.writeValue(summary.output()));
      }
      if (summary.error() != null) {
        s.setError(error(summary.error()));
      }
      if (summary.checkpoint() != null) {
        s.setCheckpointJson(JSON.writeValue(summary.checkpoint()));
      }
      b.addStepSummaries(s);
    }
    return b.build();
  }

  private static TaskerV1.Welcome welcome(Welcome m) {
    TaskerV1.Welcome.Builder b = TaskerV1.Welcome.newBuilder()
        .setWorkerId(m.workerId())
        .setOrchestratorId(m.orchestratorId())
        .setProtocolVersion(m.protocolVersion())
        .setEncoding(m.encoding())
        .setHeartbeatIntervalMs(m.heartbeatIntervalMs());
    for (Welcome.OrchestratorEndpoints orchestrator : m.orchestrators()) {
      b.addOrchestrators(TaskerV1.OrchestratorEndpoints.newBuilder()
          .setOrchestratorId(orchestrator.orchestratorId())
          .addAllEndpoints(orchestrator.endpoints()));
    }
    return b.build();
  }

  private static Welcome welcome(TaskerV1.Welcome m) {
    List<Welcome.OrchestratorEndpoints> orchestrators = new ArrayList<>(m.getOrchestratorsCount());
    for (TaskerV1.OrchestratorEndpoints orchestrator : m.getOrchestratorsList()) {
      orchestrators.add(new Welcome.OrchestratorEndpoints(
          orchestrator.getOrchestratorId(), orchestrator.getEndpointsList()));
    }
    return new Welcome(m.getWorkerId(), m.getOrchestratorId(), m.getProtocolVersion(), m.getEncoding(),
        m.getHeartbeatIntervalMs(), orchestrators);
  }

  private static TaskerV1.Ack ack(Ack m) {
    TaskerV1.Ack.Builder b = TaskerV1.Ack.newBuilder().addAllBatchCompletions(strings(m.batchCompletions()));
    for (Ack.ResultRef ref : m.partialResults()) {
      b.addPartialResults(TaskerV1.ResultRef.newBuilder()
          .setBatchId(ref.batchId().toString())
          .setStepId(ref.stepId().toString()));
    }
    return b.build();
  }

  private static TaskerV1.ProtocolError protocolError(ProtocolError m) {
    TaskerV1.ProtocolError.Builder b = TaskerV1.ProtocolError.newBuilder()
        .setCode(m.code().wireName())
        .setMessage(m.message());
    if (m.messageType() != null) {
      b.setMessageType(m.messageType());
    }
    if (m.supportedVersions() != null) {
      b.addAllSupportedVersions(m.supportedVersions());
    }
    return b.build();
  }

  private static TaskerV1.StepError error(StepError e) {
    TaskerV1.StepError.Builder b = TaskerV1.StepError.newBuilder()
        .setMessage(e.message())
        .setErrorType(e.errorType())
        .addAllBacktrace(e.backtrace())
        .setRetryable(e.retryable());
    if (e.retryAfterMs() != null) {
      b.setRetryAfterMs(e.retryAfterMs());
    }
    return b.build();
  }

  private static TaskerV1.StepStatus status(StepStatus status) {
    return switch (status) {
      case COMPLETED -> TaskerV1.StepStatus.STEP_STATUS_COMPLETED;
      case FAILED -> TaskerV1.StepStatus.STEP_STATUS_FAILED;
      case IN_PROGRESS -> TaskerV1.StepStatus.STEP_STATUS_IN_PROGRESS;
      case CHECKPOINT -> TaskerV1.StepStatus.STEP_STATUS_CHECKPOINT;
    };
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  private static List<String> strings(List<UUID> ids) {
    List<String> strings = new ArrayList<>(ids.size());
    ids.forEach(id -> strings.add(id.toString()));
    return strings;
  }

  private static byte[] deterministic(MessageLite proto) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(proto.getSerializedSize());
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      proto.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- decoding ----

  private static Hello hello(TaskerV1.Hello m) {
    List<UUID> held = m.hasHeldBatches()
        ? uuids(m.getHeldBatches().getBatchIdsList(), "held_batches")
        : null;
    return new Hello(m.getWorkerId(), m.getLanguage(), m.getSdkVersion(), m.getProtocolVersionsList(),
        m.getHandlersList(), m.getConcurrency(),
        m.getEncodingsCount() == 0 ? null : m.getEncodingsList(), held);
  }

  private static StepBatchRequest stepBatch(TaskerV1.StepBatch m) {
    MessageType type = MessageType.STEP_BATCH;
    List<StepExecutionRequest> steps = new ArrayList<>(m.getStepsCount());
    for (int i = 0; i < m.getStepsCount(); i++) {
      TaskerV1.StepExecutionRequest s = m.getSteps(i);
      String at = "steps[" + i + "].";
      if (!s.hasMetadata()) {
        throw new IllegalArgumentException(at + "metadata is required");
      }
      Map<String, JsonNode> previous = new LinkedHashMap<>();
      new TreeMap<>(s.getPreviousResultsJsonMap()).forEach((name, json) ->
          previous.put(name, JSON.readValue(json, type, at + "previous_results_json[" + name + "]")));
      steps.add(new StepExecutionRequest(
          Ids.parse(s.getStepId(), at + "step_id"),
          Ids.parse(s.getTaskId(), at + "task_id"),
          s.getStepName(),
          s.getHandler(),
          s.hasHandlerConfigJson() ? JSON.readValue(s.getHandlerConfigJson(), type, at + "handler_config_json") : null,
          requiredJson(s.getTaskContextJson(), type, at + "task_context_json"),
          previous,
          new StepMetadata(s.getMetadata().getAttempt(), s.getMetadata().getMaxAttempts(),
              s.getMetadata().getTimeoutMs()),
          s.hasInputsJson() ? JSON.readValue(s.getInputsJson(), type, at + "inputs_json") : null,
          s.hasCheckpointJson() ? JSON.readValue(s.getCheckpointJson(), type, at + "checkpoint_json") : null));
    }
    return new StepBatchRequest(Ids.parse(m.getBatchId(), "batch_id"), m.getProtocolVersion(), steps);
  }

  private static PartialResult partialResult(TaskerV1.PartialResult m) {
    MessageType type = MessageType.PARTIAL_RESULT;
    return new PartialResult(
        Ids.parse(m.getBatchId(), "batch_id"),
        Ids.parse(m.getStepId(), "step_id"),
        m.getAttempt(),
        status(m.getStatus(), "status"),
        m.hasOutputJson() ? JSON.readValue(m.getOutputJson(), type, "output_json") : null,
        m.hasError() ? error(m.getError(), "error") : null,
        m.hasCheckpointJson() ? JSON.readValue(m.getCheckpointJson(), type, "checkpoint_json") : null,
        m.getWorkerId(),
        m.getSequence(),
        instant(m.hasTimestamp(), m.getTimestamp(), "timestamp"),
        m.getExecutionTimeMs());
  }

  private static BatchCompletion batchCompletion(TaskerV1.BatchCompletion m) {
    MessageType type = MessageType.BATCH_COMPLETION;
    List<StepSummary> summaries = new ArrayList<>(m.getStepSummariesCount());
    for (int i = 0; i < m.getStepSummariesCount(); i++) {
      TaskerV1.StepSummary s = m.getStepSummaries(i);
      String at = "step_summaries[" + i + "].";
      summaries.add(new StepSummary(
          Ids.parse(s.getStepId(), at + "step_id"),
          s.getAttempt(),
          status(s.getStatus(), at + "status"),
          s.hasOutputJson() ? JSON.readValue(s.getOutputJson(), type, at + "output_json") : null,
          s.hasError() ? error(s.getError(), at + "error") : null,
          s.hasCheckpointJson() ? JSON.readValue(s.getCheckpointJson(), type, at + "checkpoint_json") : null,
          s.getExecutionTimeMs()));
    }
    return new BatchCompletion(
        Ids.parse(m.getBatchId(), "batch_id"),
        m.getTotalSteps(),
        m.getCompletedSteps(),
        m.getFailedSteps(),
        m.getInProgressSteps(),
        summaries,
        instant(m.hasCompletedAt(), m.getCompletedAt(), "completed_at"));
  }

  private static Ack ack(TaskerV1.Ack m) {
    List<Ack.ResultRef> refs = new ArrayList<>(m.getPartialResultsCount());
    for (int i = 0; i < m.getPartialResultsCount(); i++) {
      TaskerV1.ResultRef ref = m.getPartialResults(i);
      refs.add(new Ack.ResultRef(
          Ids.parse(ref.getBatchId(), "partial_results[" + i + "].batch_id"),
          Ids.parse(ref.getStepId(), "partial_results[" + i + "].step_id")));
    }
    return new Ack(refs, uuids(m.getBatchCompletionsList(), "batch_completions"));
  }

  private static ProtocolError protocolError(TaskerV1.ProtocolError m) {
    return new ProtocolError(
        ErrorCode.fromWireName(m.getCode()),
        m.getMessage(),
        m.hasMessageType() ? m.getMessageType() : null,
        m.getSupportedVersionsCount() == 0 ? null : m.getSupportedVersionsList());
  }

  private static StepError error(TaskerV1.StepError e, String field) {
    if (e.hasRetryAfterMs() && e.getRetryAfterMs() < 0) {
      throw new IllegalArgumentException(field + ".retry_after_ms must be >= 0 but was " + e.getRetryAfterMs());
    }
    return new StepError(e.getMessage(), e.getErrorType(), e.getBacktraceList(), e.getRetryable(),
        e.hasRetryAfterMs() ? e.getRetryAfterMs() : null);
  }

  private static StepStatus status(TaskerV1.StepStatus status, String field) {
    return switch (status) {
      case STEP_STATUS_COMPLETED -> StepStatus.COMPLETED;
      case STEP_STATUS_FAILED -> StepStatus.FAILED;
      case STEP_STATUS_IN_PROGRESS -> StepStatus.IN_PROGRESS;
      case STEP_STATUS_CHECKPOINT -> StepStatus.CHECKPOINT;
      case STEP_STATUS_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException(
          field + " must be completed, failed, in_progress or checkpoint");
    };
  }

  private static JsonNode requiredJson(String json, MessageType type, String field) {
    if (json.isEmpty()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return JSON.readValue(json, type, field);
  }

  private static Instant instant(boolean present, Timestamp timestamp, String field) {
    if (!present) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
      throw new IllegalArgumentException(field + ".nanos must be from 0 to 999999999");
    }
    Instant instant;
    try {
      instant = Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException(field + " is out of range");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new IllegalArgumentException(field + ": the year must be from 0000 to 9999");
    }
    return instant;
  }

  private static List<UUID> uuids(List<String> texts, String field) {
    List<UUID> ids = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ids.add(Ids.parse(texts.get(i), field + "[" + i + "]"));
    }
    return ids;
  }
}
