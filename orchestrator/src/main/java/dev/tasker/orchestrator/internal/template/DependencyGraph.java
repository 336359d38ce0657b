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
    List<StepTemplate> ordered = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>();
    for (StepTemplate step : steps) {
      visit(step, byName, state, new ArrayDeque<>(), ordered, where);
    }
    return ordered;
  }

  private static final int VISITING = 1;
  private static final int DONE = 2;

  private static void visit(
      StepTemplate step,
      Map<String, StepTemplate> byName,
      Map<String, Integer> state,
      Deque<String> path,
      List<StepTemplate> ordered,
      String where) {
    Integer current = state.get(step.name());
    if (current != null && current == DONE) {
      return;
    }
    path.addLast(step.name());
    if (current != null && current == VISITING) {
      List<String> cycle = new ArrayList<>(path);
      cycle = cycle.subList(cycle.indexOf(step.name()), cycle.size());
      throw new TemplateException(
          where + ": step '" + step.name() + "' is part of a dependency cycle: "
              + String.join(" -> ", cycle));
    }
    state.put(step.name(), VISITING);
    for (String dependency : step.dependencies()) {
      visit(byName.get(dependency), byName, state, path, ordered, where);
    }
    state.put(step.name(), DONE);
    path.removeLast();
    ordered.add(step);
  }
}
