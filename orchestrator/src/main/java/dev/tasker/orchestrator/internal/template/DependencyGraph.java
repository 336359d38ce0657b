package dev.tasker.orchestrator.internal.template;

import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.TemplateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a template's steps form a DAG and orders them dependencies-first. */
final class DependencyGraph {

  private DependencyGraph() {}

  /**
   * @throws TemplateException naming the step for a duplicate name, an unknown or repeated
   *     dependency, or a cycle (with its path)
   */
  static List<StepTemplate> order(List<StepTemplate> steps, String where) {
    Map<String, StepTemplate> byName = new LinkedHashMap<>();
    for (StepTemplate step : steps) {
      if (byName.putIfAbsent(step.name(), step) != null) {
        throw new TemplateException(where + ": step '" + step.name() + "' is defined twice");
      }
    }
    for (StepTemplate step : steps) {
      Set<String> seen = new HashSet<>();
      for (String dependency : step.dependencies()) {
        if (!byName.containsKey(dependency)) {
          throw new TemplateException(
              where + ": step '" + step.name() + "' depends on unknown step '" + dependency + "'");
        }
        if (!seen.add(dependency)) {
          throw new TemplateException(
              where + ": step '" + step.name() + "' lists dependency '" + dependency + "' twice");
        }
      }
    }
    return topologicalOrder(steps, byName, where);
  }

  /**
   * Kahn's algorithm: dependencies first, each step after all it depends on, ties in template
   * order. Iterative, so a template of thousands of steps in one chain cannot overflow the stack.
   */
  private static List<StepTemplate> topologicalOrder(
      List<StepTemplate> steps, Map<String, StepTemplate> byName, String where) {
    Map<String, Integer> unmet = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (StepTemplate step : steps) {
      unmet.put(step.name(), step.dependencies().size());
      for (String dependency : step.dependencies()) {
        dependents.computeIfAbsent(dependency, d -> new ArrayList<>()).add(step.name());
      }
    }
    Deque<String> ready = new ArrayDeque<>();
    for (StepTemplate step : steps) {
      if (step.dependencies().isEmpty()) {
        ready.add(step.name());
      }
    }
    List<StepTemplate> ordered = new ArrayList<>();
    while (!ready.isEmpty()) {
      String name = ready.poll();
      ordered.add(byName.get(name));
      for (String dependent : dependents.getOrDefault(name, List.of())) {
        if (unmet.merge(dependent, -1, Integer::sum) == 0) {
          ready.add(dependent);
        }
      }
    }
    if (ordered.size() < steps.size()) {
      throw cycle(steps, byName, unmet, where);
    }
    return ordered;
  }

  /** Finds one cycle among the steps Kahn's algorithm could not order, and names it. */
  private static TemplateException cycle(
      List<StepTemplate> steps, Map<String, StepTemplate> byName, Map<String, Integer> unmet, String where) {
    String start = steps.stream().map(StepTemplate::name).filter(n -> unmet.get(n) > 0).findFirst().orElseThrow();
    // Every unordered step has an unordered dependency, so walking those must come back round.
    List<String> path = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    String current = start;
    while (!position.containsKey(current)) {
      position.put(current, path.size());
      path.add(current);
      current = byName.get(current).dependencies().stream()
          .filter(d -> unmet.get(d) > 0).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(position.get(current), path.size()));
    loop.add(current);
    return new TemplateException(
        where + ": step '" + current + "' is part of a dependency cycle: " + String.join(" -> ", loop));
  }
}
