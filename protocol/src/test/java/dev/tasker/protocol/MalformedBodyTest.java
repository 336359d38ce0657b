package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MalformedBodyTest {

  private static void assertMalformed(MessageType type, String body, String expectedInMessage) {
    assertThatThrownBy(() -> JsonCodec.instance().decode(type, body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(expectedInMessage)
        .matches(e -> ((ProtocolException) e).code() == ErrorCode.MALFORMED_BODY);
  }

  @Test
  void a_body_that_is_not_json_is_malformed() {
    assertMalformed(MessageType.CREDIT, "{credit: 1", "CREDIT");
  }

  @Test
  void a_missing_required_field_is_named() {
    assertMalformed(MessageType.CREDIT, "{}", "credit");
  }

  @Test
  void a_string_where_a_number_belongs_is_not_coerced() {
    assertMalformed(MessageType.CREDIT, "{\"credit\":\"5\"}", "credit");
  }

  @Test
  void a_fraction_where_an_integer_belongs_is_refused() {
    assertMalformed(MessageType.CREDIT, "{\"credit\":1.5}", "credit");
  }

  @Test
  void a_number_out_of_range_is_refused() {
    assertMalformed(MessageType.CREDIT, "{\"credit\":99999999999999999999}", "credit");
  }

  @Test
  void a_negative_credit_is_refused_naming_the_constraint() {
    assertMalformed(MessageType.CREDIT, "{\"credit\":-1}", "credit must be >= 0");
  }

  @Test
  void trailing_garbage_after_the_body_is_refused() {
    assertMalformed(MessageType.CREDIT, "{\"credit\":1} {}", "CREDIT");
  }

  @Test
  void a_failed_partial_result_without_an_error_is_refused() {
    String body =
        """
        {"batch_id":"0192f3a4-7000-7abc-8def-0123456789ab","step_id":"0192f3a4-6000-7111-8222-333344445555",
         "attempt":1,"status":"failed","worker_id":"w","sequence":1,
         "timestamp":"2026-11-27T10:15:31.500Z","execution_time_ms":1}
        """;
    assertMalformed(MessageType.PARTIAL_RESULT, body, "error is required when status is failed");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"step_id\":\"not-a-uuid\"|step_id",
        "\"status\":\"exploded\"|status must be one of",
        "\"attempt\":0|attempt must be >= 1",
        "\"sequence\":0|sequence must be >= 1",
        "\"timestamp\":\"yesterday\"|timestamp"
      })
  void an_invalid_partial_result_field_is_named(String override, String expected) {
    String field = override.substring(1, override.indexOf('"', 1));
    String base =
        """
        {"batch_id":"0192f3a4-7000-7abc-8def-0123456789ab",
         "step_id":"0192f3a4-6000-7111-8222-333344445555",
         "attempt":1,"status":"completed","worker_id":"w","sequence":1,
         "timestamp":"2026-11-27T10:15:31.500Z","execution_time_ms":1}
        """;
    String body = base.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+)", override);
    assertMalformed(MessageType.PARTIAL_RESULT, body, expected);
  }

  @Test
  void an_id_must_be_in_the_canonical_uuid_form() {
    assertMalformed(MessageType.ACK, "{\"partial_results\": [], \"batch_completions\": [\"AAAAAAAAAAAAAAAAAAAAAA==\"]}",
        "UUID");
    assertMalformed(MessageType.ACK, "{\"partial_results\": [], \"batch_completions\": [\"1-2-3-4-5\"]}", "UUID");
    assertMalformed(MessageType.ACK, "{\"partial_results\": [], \"batch_completions\": [7]}", "UUID");
  }

  @Test
  void a_batch_with_the_same_step_twice_is_refused() {
    String step =
        """
        {"step_id":"0192f3a4-6000-7111-8222-333344445555","task_id":"0192f3a4-5000-7aaa-8bbb-ccccddddeeee",
         "step_name":"a","handler":"h","task_context":{},"metadata":{"attempt":1,"max_attempts":1,"timeout_ms":10}}
        """;
    String body =
        "{\"batch_id\":\"0192f3a4-7000-7abc-8def-0123456789ab\",\"protocol_version\":\"1\",\"steps\":["
            + step + "," + step + "]}";
    assertMalformed(MessageType.STEP_BATCH, body, "twice");
  }

  @Test
  void a_task_context_that_is_not_an_object_is_refused() {
    String body =
        """
        {"batch_id":"0192f3a4-7000-7abc-8def-0123456789ab","protocol_version":"1","steps":[
         {"step_id":"0192f3a4-6000-7111-8222-333344445555","task_id":"0192f3a4-5000-7aaa-8bbb-ccccddddeeee",
          "step_name":"a","handler":"h","task_context":[1,2],"metadata":{"attempt":1,"max_attempts":1,"timeout_ms":10}}]}
        """;
    assertMalformed(MessageType.STEP_BATCH, body, "task_context must be a JSON object");
  }

  @Test
  void a_null_body_is_malformed_rather_than_a_null_message() {
    assertMalformed(MessageType.PARTIAL_RESULT, "null", "must be a JSON object");
    assertMalformed(MessageType.HEARTBEAT, " null ", "must be a JSON object");
  }

  @Test
  void a_number_where_a_string_belongs_is_not_coerced() {
    assertMalformed(MessageType.GOODBYE, "{\"reason\": 5}", "reason");
    assertMalformed(MessageType.GOODBYE, "{\"reason\": true}", "reason");
  }

  @Test
  void a_timestamp_must_be_a_string_with_a_four_digit_year() {
    assertMalformed(MessageType.HEARTBEAT, "{\"sent_at\": 1e400}", "RFC 3339");
    assertMalformed(MessageType.HEARTBEAT, "{\"sent_at\": 1700000000}", "RFC 3339");
    assertMalformed(MessageType.HEARTBEAT, "{\"sent_at\": \"+1000000000-12-31T23:59:59Z\"}", "sent_at");
    assertMalformed(MessageType.HEARTBEAT, "{\"sent_at\": \"tomorrow\"}", "sent_at");
  }

  @Test
  void a_completion_with_completed_at_on_its_summaries_is_refused_naming_the_missing_field() {
    ObjectNode completion = golden("BATCH_COMPLETION");
    JsonNode completedAt = completion.remove("completed_at");
    completion.withArray("step_summaries").forEach(summary -> ((ObjectNode) summary).set("completed_at", completedAt));

    assertRefusedWith(MessageType.BATCH_COMPLETION, completion.toString(),
        "BATCH_COMPLETION: required field completed_at is missing");
  }

  @Test
  void a_missing_field_of_a_nested_object_is_named_by_its_path() {
    ObjectNode completion = golden("BATCH_COMPLETION");
    ((ObjectNode) completion.withArray("step_summaries").get(1)).remove("attempt");

    assertRefusedWith(MessageType.BATCH_COMPLETION, completion.toString(),
        "BATCH_COMPLETION: required field step_summaries[1].attempt is missing");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CREDIT|{\"credit\":\"5\"}|CREDIT: field credit must be an integer, not a string",
        "CREDIT|{\"credit\":1.5}|CREDIT: field credit must be an integer, not a number with a fraction",
        "CREDIT|{\"credit\":null}|CREDIT: field credit must be an integer, not null",
        "CREDIT|{\"credit\":99999999999999999999}|CREDIT: field credit must be an integer from -2147483648 to 2147483647",
        "CREDIT|[1]|CREDIT: the body must be a JSON object, not an array",
        "CREDIT|{\"credit\":1} {}|CREDIT: the body must be one JSON object, with nothing after it",
        "GOODBYE|{\"reason\": true}|GOODBYE: field reason must be a string, not a boolean",
        "ACK|{\"partial_results\": {}, \"batch_completions\": []}|ACK: field partial_results must be an array, not an object",
        "HEARTBEAT|{\"sent_at\": 1700000000}|HEARTBEAT: field sent_at must be an RFC 3339 timestamp string such as 2026-11-27T10:15:30.123Z, not an integer",
        "HEARTBEAT|{\"sent_at\": \"tomorrow\"}|HEARTBEAT: field sent_at must be an RFC 3339 timestamp such as 2026-11-27T10:15:30.123Z, not \"tomorrow\"",
        "HEARTBEAT|{\"sent_at\": \"+10000-01-01T00:00:00Z\"}|HEARTBEAT: field sent_at must be a timestamp with a year from 0000 to 9999, not \"+10000-01-01T00:00:00Z\"",
        "ACK|{\"partial_results\": [], \"batch_completions\": [\"1-2-3-4-5\"]}|ACK: field batch_completions[0] must be a UUID string such as 0192f3a4-7000-7abc-8def-0123456789ab, not \"1-2-3-4-5\""
      })
  void a_field_of_the_wrong_kind_is_refused_naming_the_field_and_what_it_must_be(
      MessageType type, String body, String expected) {
    assertRefusedWith(type, body, expected);
  }

  private static void assertRefusedWith(MessageType type, String body, String message) {
    assertThatThrownBy(() -> JsonCodec.instance().decode(type, body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(message);
  }

  private static ObjectNode golden(String name) {
    try {
      return (ObjectNode) new ObjectMapper().readTree(Path.of("golden", "json", name + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void a_body_nested_deeper_than_the_limit_is_refused() {
    String deep = "[".repeat(JsonCodec.MAX_NESTING_DEPTH + 10) + "]".repeat(JsonCodec.MAX_NESTING_DEPTH + 10);
    String body = "{\"batch_id\":\"0192f3a4-7000-7abc-8def-0123456789ab\",\"step_id\":\"0192f3a4-6000-7111-8222-333344445555\","
        + "\"attempt\":1,\"status\":\"completed\",\"output\":" + deep + ",\"worker_id\":\"w\",\"sequence\":1,"
        + "\"timestamp\":\"2026-11-27T10:15:31.500Z\",\"execution_time_ms\":1}";

    assertMalformed(MessageType.PARTIAL_RESULT, body, "PARTIAL_RESULT");
  }
}
