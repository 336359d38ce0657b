package dev.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tasker.orchestrator.StepSnapshot;
import dev.tasker.orchestrator.TaskSnapshot;
import dev.tasker.orchestrator.TaskState;
import dev.tasker.orchestrator.TaskerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The demo's lines about its dynamic workflows: which approvals ran, and the CSV's figures. */
final class DemoDynamicExamples {

  private DemoDynamicExamples() {}

  static void print(TaskerClient client, List<UUID> ids) {
    int approvals = 0;
    int approved = 0;
    Map<Long, String> routes = new TreeMap<>();
    TaskSnapshot csv = null;
    for (UUID id : ids) {
      TaskSnapshot task = client.task(id).orElseThrow();
      if (task.template().startsWith("conditional_approval")) {
        approvals++;
        if (task.state() == TaskState.COMPLETE) {
          approved++;
          routes.putIfAbsent(task.context().path("amount").asLong(),
              task.step("finalize_approval").orElseThrow().results().path("approvals").toString());
        }
      } else if (task.template().startsWith("csv_processing") && csv == null) {
        csv = task;
      }
    }
    if (approvals > 0) {
      List<String> shown = new ArrayList<>();
      routes.forEach((amount, steps) -> shown.add(String.format("%,d", amount) + " -> " + steps));
      System.out.println("  approvals:    " + approved + "/" + approvals + " complete; steps created by the decision: "
          + String.join(", ", shown));
    }
    if (csv != null) {
      printCsv(csv);
    }
  }

  /** By name: stored as jsonb, the object's keys come back shortest first. */
  private static Map<String, Long> categories(JsonNode counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), entry.getValue().asLong()));
    return sorted;
  }

  private static void printCsv(TaskSnapshot task) {
    if (task.state() != TaskState.COMPLETE) {
      System.out.println("  csv:          the CSV inventory task ended " + task.state());
      return;
    }
    int workers = 0;
    int attempts = 0;
    for (StepSnapshot step : task.steps()) {
      if (step.name().startsWith("process_csv_batch_")) {
        workers++;
        attempts += step.attempts();
      }
    }
    JsonNode totals = task.step("aggregate_csv_results").orElseThrow().results();
    long cents = totals.path("inventory_value_cents").asLong();
    System.out.println("  csv:          " + totals.path("rows").asLong() + " rows by " + workers + " batch workers in "
        + attempts + " attempts (a checkpoint every 50 rows): " + String.format("%,d", totals.path("units").asLong())
        + " units worth " + String.format("%,d.%02d", cents / 100, cents % 100) + "; rows by category "
        + categories(totals.path("categories")));
  }
}
