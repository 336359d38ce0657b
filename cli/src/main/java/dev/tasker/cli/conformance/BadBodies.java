package dev.tasker.cli.conformance;

import dev.tasker.protocol.proto.v1.TaskerV1;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Well-formed STEP_BATCH bodies with one invalid field, in either encoding. */
final class BadBodies {

  private BadBodies() {}

  /** A one-step batch whose step has {@code stepId} and {@code taskContextJson} as given. */
  static byte[] stepBatch(boolean protobuf, String stepId, String taskContextJson) {
    String batchId = UUID.randomUUID().toString();
    String taskId = UUID.randomUUID().toString();
    if (protobuf) {
      return TaskerV1.StepBatch.newBuilder()
          .setBatchId(batchId)
          .setProtocolVersion("1")
          .addSteps(TaskerV1.StepExecutionRequest.newBuilder()
              .setStepId(stepId)
              .setTaskId(taskId)
              .setStepName("bad")
              .setHandler("conformance.echo")
              .setTaskContextJson(taskContextJson)
              .setMetadata(TaskerV1.StepMetadata.newBuilder().setAttempt(1).setMaxAttempts(1).setTimeoutMs(30_000)))
          .build()
          .toByteArray();
    }
    String json = """
        {"batch_id": "%s", "protocol_version": "1", "steps": [{"step_id": "%s", "task_id": "%s",
         "step_name": "bad", "handler": "conformance.echo", "handler_config": {}, "task_context": %s,
         "previous_results": {}, "metadata": {"attempt": 1, "max_attempts": 1, "timeout_ms": 30000}}]}"""
        .formatted(batchId, stepId, taskId, taskContextJson);
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
