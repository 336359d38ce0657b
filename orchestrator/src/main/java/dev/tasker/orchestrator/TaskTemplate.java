package dev.tasker.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;

/**
 * A versioned workflow definition, read from YAML in the upstream Tasker format. Its steps are in
 * an order where every step comes after its dependencies. Immutable.
 *
 * @param namespace the {@code namespace_name}
 * @param name the template's name, unique within the namespace and version
 * @param version the template's version, for example {@code 1.0.0}
 * @param description for people; may be empty
 * @param inputSchema JSON Schema the task context must satisfy, or {@code null} for none
 * @param steps the steps, dependencies first
 * @param definition the whole template as read, stored with the named task
 */
public record TaskTemplate(
    String namespace,
    String name,
    String version,
    String description,
    JsonNode inputSchema,
    List<StepTemplate> steps,
    JsonNode definition) {

  /** Validates and copies the fields. */
  public TaskTemplate {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    steps = List.copyOf(steps);
    Objects.requireNonNull(definition, "definition");
    description = description == null ? "" : description;
  }

  /** {@code namespace/name:version}, for messages. */
  public String fullName() {
    return namespace + "/" + name + ":" + version;
  }

  /**
   * The steps created with each task: all but those created at run time, which are the steps that
   * descend from a decision step (created when it chooses them) and batch workers with their
   * descendants (created from a batchable step's plan). Dependencies first.
   */
  public List<StepTemplate> initialSteps() {
    Set<String> later = new HashSet<>();
    for (StepTemplate step : steps) {
      boolean createdLater = step.type() == StepType.BATCH_WORKER;
      for (String dependency : step.dependencies()) {
        StepTemplate parent = step(dependency).orElseThrow();
        createdLater |= later.contains(dependency) || parent.type() == StepType.DECISION;
      }
      if (createdLater) {
        later.add(step.name());
      }
    }
    return steps.stream().filter(s -> !later.contains(s.name())).toList();
  }

  /** Whether any step of this template creates steps at run time (a decision or batchable step). */
  public boolean isDynamic() {
    return steps.stream().anyMatch(s -> s.type() == StepType.DECISION || s.type() == StepType.BATCHABLE);
  }

  /** The step called {@code stepName}, if any. */
  public Optional<StepTemplate> step(String stepName) {
    return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
  }
}
