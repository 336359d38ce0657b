package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tasker.examples.ExampleHandlers;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.testing.TestOrchestrator;
import dev.tasker.worker.StepWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The orchestrator's own lines about a worker carry its id as an MDC field in the JSON format. */
class OrchestratorJsonLogIT {

  @Test
  void theLinesAboutAWorkerCarryItsIdAsAField() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setProperty(TaskerCli.LOG_FORMAT, "json");
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      configure(context);
      try (TestOrchestrator orchestrator = TestOrchestrator.start(TemplateRegistry.empty());
          StepWorker worker = StepWorker.builder().endpoint(orchestrator.endpoint()).workerId("json-log-worker")
              .handlers(ExampleHandlers.all()).drainTimeout(Duration.ofSeconds(2)).build().start()) {
        assertThat(worker.awaitRegistered(Duration.ofSeconds(10))).isTrue();
      }
    } finally {
      System.setErr(stderr);
      System.clearProperty(TaskerCli.LOG_FORMAT);
      configure(context);
    }

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> aboutTheWorker = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{")) {
        JsonNode event = json.readTree(line);
        if (event.get("formattedMessage").asText().startsWith("worker json-log-worker")) {
          aboutTheWorker.add(event);
        }
      }
    }
    assertThat(aboutTheWorker).extracting(event -> event.get("formattedMessage").asText())
        .anyMatch(message -> message.contains("registered"))
        .anyMatch(message -> message.contains("draining"));
    assertThat(aboutTheWorker).allSatisfy(event ->
        assertThat(event.get("mdc").path("worker_id").asText()).isEqualTo("json-log-worker"));
  }

  private static void configure(LoggerContext context) throws Exception {
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(OrchestratorJsonLogIT.class.getResource("/logback.xml"));
  }
}
