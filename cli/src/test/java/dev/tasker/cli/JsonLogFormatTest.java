package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.worker.internal.StepLogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The {@code tasker} command's logback.xml with {@code TASKER_LOG_FORMAT=json}: one JSON object per
 * line, the message formatted, and the ids of the step a handler runs for as MDC fields.
 */
class JsonLogFormatTest {

  @Test
  void withTheJsonFormatEachLineIsAnObjectWithTheStepsIds() throws Exception {
    UUID task = UUID.randomUUID();
    UUID step = UUID.randomUUID();
    UUID batch = UUID.randomUUID();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty(TaskerCli.LOG_FORMAT, "json");
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      configure(context);
      try (var ids = StepLogContext.of("worker-7", task, step, batch)) {
        LoggerFactory.getLogger("dev.tasker.examples.SomeHandler").info("charged {} cents", 1250);
      }
      LoggerFactory.getLogger("dev.tasker.examples.SomeHandler").info("outside any step");
    } finally {
      System.setErr(stderr);
      System.clearProperty(TaskerCli.LOG_FORMAT);
      configure(context);
    }

    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode inStep = json.readTree(lines[0]);
    assertThat(inStep.get("level").asText()).isEqualTo("INFO");
    assertThat(inStep.get("loggerName").asText()).isEqualTo("dev.tasker.examples.SomeHandler");
    assertThat(inStep.get("formattedMessage").asText()).isEqualTo("charged 1250 cents");
    assertThat(inStep.get("mdc").get("worker_id").asText()).isEqualTo("worker-7");
    assertThat(inStep.get("mdc").get("task_id").asText()).isEqualTo(task.toString());
    assertThat(inStep.get("mdc").get("step_id").asText()).isEqualTo(step.toString());
    assertThat(inStep.get("mdc").get("batch_id").asText()).isEqualTo(batch.toString());
    assertThat(json.readTree(lines[1]).get("mdc").size()).as("ids after the step").isZero();
  }

  @Test
  void onlyTextAndJsonAreFormats() {
    assertThat(TaskerCli.logFormatProblem(null)).isNull();
    assertThat(TaskerCli.logFormatProblem("text")).isNull();
    assertThat(TaskerCli.logFormatProblem("json")).isNull();
    assertThat(TaskerCli.logFormatProblem("xml")).isEqualTo("TASKER_LOG_FORMAT must be text or json but was 'xml'");
  }

  private static void configure(LoggerContext context) throws Exception {
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(JsonLogFormatTest.class.getResource("/logback.xml"));
  }
}
