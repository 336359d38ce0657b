package dev.tasker.orchestrator.internal.creation;

import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.TaskTemplate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What every task of one template has in common, worked out once per template: each step's
 * columns, its dependency count, the positions of its ancestors and the edges between positions.
 * Creating a task then only draws fresh ids. Immutable.
 */
final class StepLayout {

  /** One step's columns, as stored. */
  record Step(
      String name,
      String handler,
      String handlerConfigJson,
      int unmetDependencies,
      int[] ancestors,
      int maxAttempts,
      boolean retryable,
      long backoffBaseMs,
      long maxBackoffMs,
      long timeoutMs,
      String kind,
      String backoff) {}

  private final List<Step> steps;
  private final int[] edgeFrom;
  private final int[] edgeTo;
  private final int roots;

  private StepLayout(List<Step> steps, int[] edgeFrom, int[] edgeTo) {
    this.steps = List.copyOf(steps);
    this.edgeFrom = edgeFrom;
    this.edgeTo = edgeTo;
    this.roots = (int) steps.stream().filter(s -> s.unmetDependencies() == 0).count();
  }

  /** The layout of the steps created with each task ({@link TaskTemplate#initialSteps()}). */
  static StepLayout of(TaskTemplate template) {
    List<StepTemplate> initial = template.initialSteps();
    Map<String, Integer> position = new HashMap<>();
    for (StepTemplate step : initial) {
      position.put(step.name(), position.size());
    }
    List<Step> steps = new ArrayList<>();
    List<int[]> edges = new ArrayList<>();
    for (StepTemplate step : initial) {
      int to = position.get(step.name());
      for (String dependency : step.dependencies()) {
        edges.add(new int[] {position.get(dependency), to});
      }
      steps.add(new Step(
          step.name(),
          step.handler(),
          step.handlerConfig().toString(),
          step.dependencies().size(),
          ancestors(template, step, position),
          step.retry().effectiveMaxAttempts(),
          step.retry().retryable(),
          step.retry().backoffBaseMs(),
          step.retry().maxBackoffMs(),
          step.timeout().toMillis(),
          step.type().wireName(),
          step.retry().backoff().wireName()));
    }
    return new StepLayout(steps,
        edges.stream().mapToInt(e -> e[0]).toArray(),
        edges.stream().mapToInt(e -> e[1]).toArray());
  }

  /** Positions of every step {@code step} depends on, directly or transitively, in order. */
  private static int[] ancestors(TaskTemplate template, StepTemplate step, Map<String, Integer> position) {
    TreeSet<Integer> found = new TreeSet<>();
    Deque<String> toVisit = new ArrayDeque<>(step.dependencies());
    while (!toVisit.isEmpty()) {
      String name = toVisit.pop();
      if (found.add(position.get(name))) {
        toVisit.addAll(template.step(name).orElseThrow().dependencies());
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  List<Step> steps() {
    return steps;
  }

  /** How many steps have no dependencies (ready when the task is created). */
  int roots() {
    return roots;
  }

  int edgeCount() {
    return edgeFrom.length;
  }

  int edgeFrom(int edge) {
    return edgeFrom[edge];
  }

  int edgeTo(int edge) {
    return edgeTo[edge];
  }
}
