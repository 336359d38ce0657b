package dev.tasker.orchestrator.internal.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tasker.orchestrator.BackoffKind;
import dev.tasker.orchestrator.RetryPolicy;
import dev.tasker.orchestrator.StepTemplate;
import dev.tasker.orchestrator.StepType;
import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads task templates in the upstream Tasker YAML format: {@code name}, {@code namespace_name},
 * {@code version}, {@code description}, {@code input_schema}, {@code steps[]} (each with {@code
 * name}, {@code handler.callable}, {@code handler.initialization}, {@code dependencies}, {@code
 * retry} and {@code timeout_seconds}) and {@code environments}. Fields this implementation does not
 * use ({@code metadata}, {@code task_handler}, {@code system_dependencies}, {@code domain_events},
 * {@code lifecycle}, a step's {@code publishes_events}, ...) are accepted and kept in the stored
 * definition. Every error names the source and, where it applies, the step. Thread-safe.
 */
public final class TemplateParser {

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** The step name that an {@code environments} override applies to every step with. */
  private static final String ALL_STEPS = "ALL";

  private TemplateParser() {}

  /**
   * Parses YAML text.
   *
   * @param source names the text in error messages, for example the file path
   * @param environment the environment whose {@code environments} overrides apply, or {@code null}
   * @throws TemplateException naming the source and what is wrong
   */
  public static TaskTemplate parseYaml(String yaml, String source, String environment) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new TemplateException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    return parse(tree, source, environment);
  }

  /**
   * Parses a template already read into a JSON tree (for example a stored definition).
   *
   * @throws TemplateException naming the source and what is wrong
   */
  public static TaskTemplate parse(JsonNode tree, String source, String environment) {
    if (tree == null || !tree.isObject()) {
      throw new TemplateException(source + ": a template must be a YAML mapping");
    }
    String name = requiredText(tree, "name", source);
    String namespace = requiredText(tree, "namespace_name", source);
    String version = requiredText(tree, "version", source);
    String where = source + " (" + namespace + "/" + name + ":" + version + ")";
    String description = optionalText(tree, "description", where);
    JsonNode inputSchema = tree.get("input_schema");
    if (inputSchema != null && inputSchema.isNull()) {
      inputSchema = null;
    }
    if (inputSchema != null) {
      if (!inputSchema.isObject()) {
        throw new TemplateException(where + ": input_schema must be a mapping (a JSON Schema)");
      }
      ContextValidator.compile(inputSchema, where);
    }
    JsonNode stepsNode = tree.get("steps");
    if (stepsNode == null || !stepsNode.isArray() || stepsNode.isEmpty()) {
      throw new TemplateException(where + ": steps must be a non-empty list");
    }
    Map<String, Map<String, JsonNode>> overrides = environmentOverrides(tree, environment, where);
    List<StepTemplate> steps = new ArrayList<>();
    for (int i = 0; i < stepsNode.size(); i++) {
      steps.add(parseStep(stepsNode.get(i), i, where, overrides));
    }
    overrides.remove(ALL_STEPS);
    if (!overrides.isEmpty()) {
      throw new TemplateException(
          where + ": environments." + environment + " names unknown step(s) " + overrides.keySet());
    }
    List<StepTemplate> ordered = DependencyGraph.order(steps, where);
    checkDynamicSteps(ordered, where);
    return new TaskTemplate(namespace, name, version, description, inputSchema, ordered, tree);
  }

  private static StepTemplate parseStep(
      JsonNode node, int index, String where, Map<String, Map<String, JsonNode>> overrides) {
    String at = where + ": steps[" + index + "]";
    if (!node.isObject()) {
      throw new TemplateException(at + " must be a mapping");
    }
    String name = requiredText(node, "name", at);
    String step = where + ": step '" + name + "'";
    String typeName = optionalText(node, "type", step);
    StepType type;
    try {
      type = typeName == null ? StepType.STANDARD : StepType.fromWireName(typeName);
    } catch (IllegalArgumentException e) {
      throw new TemplateException(step + ": " + e.getMessage());
    }
    Map<String, JsonNode> override = merge(overrides.get(ALL_STEPS), overrides.remove(name));
    JsonNode handler = override != null && override.containsKey("handler") ? override.get("handler") : node.get("handler");
    if (handler == null || !handler.isObject()) {
      throw new TemplateException(step + ": handler must be a mapping with a callable");
    }
    String callable = requiredText(handler, "callable", step + ": handler");
    JsonNode initialization = handler.get("initialization");
    if (initialization == null || initialization.isNull()) {
      initialization = JsonNodeFactory.instance.objectNode();
    } else if (!initialization.isObject()) {
      throw new TemplateException(step + ": handler.initialization must be a mapping");
    }
    List<String> dependencies = textList(node.get("dependencies"), step + ": dependencies");
    JsonNode retryNode = node.get("retry");
    if (override != null && override.containsKey("retry")) {
      retryNode = merge(retryNode, override.get("retry"));
    }
    RetryPolicy retry = parseRetry(retryNode, step);
    JsonNode timeoutNode =
        override != null && override.containsKey("timeout_seconds")
            ? override.get("timeout_seconds")
            : node.get("timeout_seconds");
    Duration timeout = parseTimeout(timeoutNode, step);
    String description = optionalText(node, "description", step);
    return new StepTemplate(name, description, callable, initialization, dependencies, retry, timeout, type);
  }

  private static RetryPolicy parseRetry(JsonNode node, String step) {
    if (node == null || node.isNull()) {
      return RetryPolicy.DEFAULT;
    }
    if (!node.isObject()) {
      throw new TemplateException(step + ": retry must be a mapping");
    }
    JsonNode retryable = node.get("retryable");
    if (retryable != null && !retryable.isNull() && !retryable.isBoolean()) {
      throw new TemplateException(step + ": retry.retryable must be true or false");
    }
    boolean isRetryable = retryable == null || retryable.isNull() || retryable.asBoolean();
    // Upstream writes a single attempt as max_attempts: 0 with retryable: false.
    int maxAttempts = (int) longField(node, "max_attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS, step + ": retry",
        isRetryable ? 1 : 0, 1000);
    if (maxAttempts == 0) {
      maxAttempts = 1;
    }
    long base = longField(node, "backoff_base_ms", RetryPolicy.DEFAULT_BACKOFF_BASE_MS, step + ": retry", 0, 86_400_000);
    long max = longField(node, "max_backoff_ms", Math.max(base, RetryPolicy.DEFAULT_MAX_BACKOFF_MS), step + ": retry", 0, 86_400_000);
    String backoffName = optionalText(node, "backoff", step + ": retry");
    try {
      BackoffKind backoff = backoffName == null ? BackoffKind.EXPONENTIAL : BackoffKind.fromWireName(backoffName);
      return new RetryPolicy(isRetryable, maxAttempts, base, max, backoff);
    } catch (IllegalArgumentException e) {
      throw new TemplateException(step + ": " + e.getMessage());
    }
  }

  private static Duration parseTimeout(JsonNode node, String step) {
    if (node == null || node.isNull()) {
      return StepTemplate.DEFAULT_TIMEOUT;
    }
    if (!node.isNumber() || !(node.asDouble() >= 0.001) || node.asDouble() > 86_400) {
      throw new TemplateException(step + ": timeout_seconds must be a number from 0.001 to 86400");
    }
    return Duration.ofMillis(Math.max(1, Math.round(node.asDouble() * 1000)));
  }

  private static Map<String, Map<String, JsonNode>> environmentOverrides(
      JsonNode tree, String environment, String where) {
    Map<String, Map<String, JsonNode>> result = new LinkedHashMap<>();
    JsonNode environments = tree.get("environments");
    if (environment == null || environments == null || !environments.isObject()) {
      return result;
    }
    JsonNode env = environments.get(environment);
    if (env == null || env.isNull()) {
      return result;
    }
    JsonNode steps = env.get("steps");
    if (steps == null || steps.isNull()) {
      return result;
    }
    if (!steps.isArray()) {
      throw new TemplateException(where + ": environments." + environment + ".steps must be a list");
    }
    for (JsonNode step : steps) {
      String name = requiredText(step, "name", where + ": environments." + environment + ".steps[]");
      Map<String, JsonNode> fields = new HashMap<>();
      step.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
      result.put(name, fields);
    }
    return result;
  }

  /** The fields of an {@code ALL} override under those of a step's own override; null if neither. */
  private static Map<String, JsonNode> merge(Map<String, JsonNode> all, Map<String, JsonNode> own) {
    if (all == null) {
      return own;
    }
    Map<String, JsonNode> merged = new HashMap<>(all);
    if (own != null) {
      own.forEach((field, value) -> merged.put(field, field.equals("retry") ? merge(all.get("retry"), value) : value));
    }
    return merged;
  }

  /**
   * Checks how the run-time step kinds fit together: a batch worker depends on exactly one
   * batchable step, a batchable step has at least one batch worker, a deferred convergence step
   * has dependencies.
   */
  private static void checkDynamicSteps(List<StepTemplate> steps, String where) {
    Map<String, StepTemplate> byName = new HashMap<>();
    steps.forEach(s -> byName.put(s.name(), s));
    for (StepTemplate step : steps) {
      String at = where + ": step '" + step.name() + "'";
      if (step.type() == StepType.BATCH_WORKER) {
        long batchable = step.dependencies().stream()
            .filter(d -> byName.get(d).type() == StepType.BATCHABLE).count();
        if (batchable != 1 || step.dependencies().size() != 1) {
          throw new TemplateException(at + ": a batch_worker step must depend on exactly one step, a batchable"
              + " one, but depends on " + step.dependencies());
        }
      }
      if (step.type() == StepType.BATCHABLE && steps.stream().noneMatch(
          s -> s.type() == StepType.BATCH_WORKER && s.dependencies().contains(step.name()))) {
        throw new TemplateException(at + ": a batchable step needs a batch_worker step that depends on it");
      }
      if (step.type() == StepType.DEFERRED_CONVERGENCE && step.dependencies().isEmpty()) {
        throw new TemplateException(at + ": a deferred_convergence step must list the steps it may converge");
      }
    }
  }

  private static JsonNode merge(JsonNode base, JsonNode override) {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    if (base != null && base.isObject()) {
      merged.setAll((ObjectNode) base);
    }
    if (override != null && override.isObject()) {
      merged.setAll((ObjectNode) override);
    }
    return merged;
  }

  private static String requiredText(JsonNode node, String field, String where) {
    String value = optionalText(node, field, where);
    if (value == null || value.isBlank()) {
      throw new TemplateException(where + ": " + field + " is required");
    }
    return value;
  }

  private static String optionalText(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode() || value.isBoolean()) {
      throw new TemplateException(where + ": " + field + " must be a string");
    }
    return value.asText();
  }

  private static long longField(JsonNode node, String field, long defaultValue, String where, long min, long max) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      throw new TemplateException(where + "." + field + " must be a whole number from " + min + " to " + max);
    }
    return value.asLong();
  }

  private static List<String> textList(JsonNode node, String where) {
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isArray()) {
      throw new TemplateException(where + " must be a list of step names");
    }
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new TemplateException(where + " must be a list of step names");
      }
      values.add(item.asText());
    }
    return values;
  }
}
