package dev.tasker.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Feeds the template loader generated hostile YAML. The property: {@link TemplateRegistry#parse}
 * returns a template a dispatcher can use, or throws a {@link TemplateException} whose message
 * starts with the source name. Nothing else may escape. Mutations known to be invalid (a cycle, an
 * unknown dependency, a duplicate step, a missing required field, ...) must be refused naming the
 * step or field. Every case derives from {@link #SEED}, its family and its index.
 */
class TemplateFuzzTest {

  private static final long SEED = 0x7E3A_2026_1127L;
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int EXAMPLES_PER_PROBLEM = 2;
  private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);
  private static final List<Base> BASES = loadBases();

  private enum Family {
    TRUNCATED(1_500),
    CHARACTER_MUTATION(2_500),
    YAML_HOSTILITY(2_000),
    KNOWN_INVALID_STRUCTURE(2_500),
    RANDOM_STRUCTURE(1_500);

    final int cases;

    Family(int cases) {
      this.cases = cases;
    }
  }

  private record Base(String name, String yaml) {
    ObjectNode tree() {
      try {
        return (ObjectNode) YAML.readTree(yaml);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * One generated input.
   *
   * @param mustName {@code null} when accepting and refusing are both fine; otherwise the template
   *     must be refused, and for each inner list its message must contain one of the fragments
   */
  private record FuzzCase(String description, String yaml, String environment, List<List<String>> mustName) {
    static FuzzCase anyOutcome(String description, String yaml, String environment) {
      return new FuzzCase(description, yaml, environment, null);
    }
  }

  private final Map<Family, int[]> acceptedAndRefused = new EnumMap<>(Family.class);
  private final Map<String, Integer> problems = new LinkedHashMap<>();
  private final List<String> reported = new ArrayList<>();
  private int failures;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void hostile_templates_are_loaded_or_refused_naming_the_source_and_never_crash_the_loader() {
    assertThat(BASES).extracting(Base::name).contains("order_fulfillment.yaml", "diamond.yaml");
    for (Base base : BASES) {
      assertThat(TemplateRegistry.parse(base.yaml(), base.name(), null).steps()).as(base.name()).isNotEmpty();
    }
    long started = System.nanoTime();
    int cases = 0;
    for (Family family : Family.values()) {
      acceptedAndRefused.put(family, new int[2]);
      for (int index = 0; index < family.cases; index++) {
        SplittableRandom random = new SplittableRandom(SEED + 1_000_003L * family.ordinal() + index);
        check(family, index, generate(family, random, index));
        cases++;
      }
    }

    System.out.println(summary(cases, (System.nanoTime() - started) / 1_000_000));
    assertThat(cases).isGreaterThanOrEqualTo(10_000);
    assertThat(failures)
        .withFailMessage(
            "%d cases broke the template loader's contract.%nDistinct problems (count):%n%s%nExamples:%n%s",
            failures, String.join("\n", problems.entrySet().stream().map(e -> "  " + e.getValue() + " x " + e.getKey()).toList()),
            String.join("\n\n", reported))
        .isZero();
  }

  private FuzzCase generate(Family family, SplittableRandom random, int index) {
    return switch (family) {
      case TRUNCATED -> truncated(random);
      case CHARACTER_MUTATION -> characterMutation(random);
      case YAML_HOSTILITY -> yamlHostility(random, index);
      case KNOWN_INVALID_STRUCTURE -> knownInvalidStructure(random);
      case RANDOM_STRUCTURE -> randomStructure(random);
    };
  }

  // ---- the property ----------------------------------------------------------------------------

  private void check(Family family, int index, FuzzCase fuzzCase) {
    String source = "fuzz/" + family.name().toLowerCase(Locale.ROOT) + "-" + index + ".yaml";
    String where = "seed " + SEED + ", " + family + " case " + index + ": " + fuzzCase.description();
    TaskTemplate template;
    try {
      template = TemplateRegistry.parse(fuzzCase.yaml(), source, fuzzCase.environment());
    } catch (TemplateException refusal) {
      acceptedAndRefused.get(family)[1]++;
      String message = String.valueOf(refusal.getMessage());
      if (!message.startsWith(source) || message.substring(source.length()).isBlank()) {
        fail(where, fuzzCase, "refused without naming the source first", message, null);
      } else if (fuzzCase.mustName() != null) {
        for (List<String> fragments : fuzzCase.mustName()) {
          if (fragments.stream().noneMatch(message::contains)) {
            fail(where, fuzzCase, "refused without naming the offending step or field",
                "expected one of " + fragments + " in: " + message, null);
            break;
          }
        }
      }
      return;
    } catch (Throwable unexpected) {
      fail(where, fuzzCase, "threw " + unexpected.getClass().getName() + " instead of a TemplateException", null, unexpected);
      return;
    }
    acceptedAndRefused.get(family)[0]++;
    if (fuzzCase.mustName() != null) {
      fail(where, fuzzCase, "accepted a template that must be refused", "it should name " + fuzzCase.mustName(), null);
    } else {
      String unusable = unusable(template);
      if (unusable != null) {
        fail(where, fuzzCase, "accepted a template a dispatcher cannot use", unusable, null);
      }
    }
  }

  /** Why an accepted template breaks a documented limit, or {@code null}. */
  private static String unusable(TaskTemplate template) {
    if (template.steps().isEmpty() || template.name().isBlank() || template.namespace().isBlank()
        || template.version().isBlank()) {
      return "template " + template.fullName() + " without steps or with a blank name, namespace or version";
    }
    Set<String> earlier = new HashSet<>();
    for (StepTemplate step : template.steps()) {
      String name = "step '" + step.name() + "'";
      if (step.name().isBlank() || step.handler().isBlank()) {
        return name + " has a blank name or handler";
      }
      for (String dependency : step.dependencies()) {
        if (!earlier.contains(dependency)) {
          return name + " comes before its dependency '" + dependency + "'";
        }
      }
      if (!earlier.add(step.name())) {
        return name + " appears twice";
      }
      RetryPolicy retry = step.retry();
      if (retry.maxAttempts() < 1 || retry.maxAttempts() > 1_000 || retry.backoffBaseMs() < 0
          || retry.maxBackoffMs() > 86_400_000 || retry.maxBackoffMs() < retry.backoffBaseMs()) {
        return name + " has retry settings out of range: " + retry;
      }
      if (step.timeout().toMillis() < 1 || step.timeout().compareTo(Duration.ofSeconds(86_400)) > 0) {
        return name + " has timeout " + step.timeout() + "; a dispatched step needs metadata.timeout_ms >= 1";
      }
    }
    return null;
  }

  private void fail(String where, FuzzCase fuzzCase, String problem, String detail, Throwable thrown) {
    failures++;
    if (problems.merge(problem, 1, Integer::sum) > EXAMPLES_PER_PROBLEM) {
      return;
    }
    StringBuilder report = new StringBuilder(where).append("\n  ").append(problem);
    if (detail != null) {
      report.append(": ").append(detail);
    }
    report.append("\n  environment: ").append(fuzzCase.environment()).append("\n  yaml: ").append(excerpt(fuzzCase.yaml()));
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      report.append("\n  ").append(String.join("\n  ", trace.toString().lines().limit(8).toList()));
    }
    reported.add(report.toString());
  }

  private String summary(int cases, long millis) {
    int accepted = 0;
    int refused = 0;
    List<String> perFamily = new ArrayList<>();
    for (Map.Entry<Family, int[]> entry : acceptedAndRefused.entrySet()) {
      int[] counts = entry.getValue();
      accepted += counts[0];
      refused += counts[1];
      perFamily.add(entry.getKey() + "=" + entry.getKey().cases + " (" + counts[0] + " accepted, " + counts[1] + " refused)");
    }
    return "TemplateFuzzTest seed=" + SEED + " cases=" + cases + " accepted=" + accepted + " refused=" + refused
        + " broken=" + failures + " in " + millis + " ms: " + String.join(", ", perFamily);
  }

  // ---- text-level families ---------------------------------------------------------------------

  private static FuzzCase truncated(SplittableRandom random) {
    Base base = pick(random, BASES);
    int cut = random.nextInt(base.yaml().length());
    String description = base.name() + " cut to " + cut + " of " + base.yaml().length() + " chars";
    return FuzzCase.anyOutcome(description, base.yaml().substring(0, cut), environment(random));
  }

  private static FuzzCase characterMutation(SplittableRandom random) {
    Base base = pick(random, BASES);
    String text = base.yaml();
    List<String> edits = new ArrayList<>();
    for (int edit = 1 + random.nextInt(6); edit > 0; edit--) {
      int at = random.nextInt(text.length());
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
      int line = random.nextInt(lines.size());
      switch (random.nextInt(7)) {
        case 0 -> {
          String replacement = pick(random, YAML_CHARACTERS);
          text = text.substring(0, at) + replacement + text.substring(at + 1);
          edits.add("set@" + at + "=" + escape(replacement));
        }
        case 1 -> {
          String token = pick(random, YAML_TOKENS);
          text = text.substring(0, at) + token + text.substring(at);
          edits.add("insert@" + at + "=" + escape(token));
        }
        case 2 -> {
          text = text.substring(0, at) + text.substring(at + 1);
          edits.add("delete@" + at);
        }
        case 3 -> {
          lines.remove(line);
          edits.add("delete line " + line);
        }
        case 4 -> {
          lines.add(line, lines.get(line));
          edits.add("repeat line " + line);
        }
        case 5 -> {
          int other = random.nextInt(lines.size());
          lines.set(line, lines.set(other, lines.get(line)));
          edits.add("swap lines " + line + "," + other);
        }
        default -> {
          String indent = pick(random, List.of(" ", "  ", "\t", "   "));
          lines.set(line, random.nextBoolean() ? indent + lines.get(line) : lines.get(line).replaceFirst("^ {1,3}", ""));
          edits.add("reindent line " + line);
        }
      }
      if (edits.get(edits.size() - 1).contains("line")) {
        text = String.join("\n", lines);
      }
      if (text.isEmpty()) {
        break;
      }
    }
    return FuzzCase.anyOutcome(base.name() + " " + edits, text, environment(random));
  }

  private static FuzzCase yamlHostility(SplittableRandom random, int index) {
    Base base = pick(random, BASES);
    String yaml = base.yaml();
    return switch (index % 12) {
      case 0 -> billionLaughs(random);
      case 1 -> longScalar(random, base, index);
      case 2 -> FuzzCase.anyOutcome(base.name() + " indented with tabs", tabs(random, yaml), null);
      case 3 -> unbalanced(random, base);
      case 4 -> duplicateKey(random, base);
      case 5 -> {
        String tag = pick(random, TAGS);
        yield FuzzCase.anyOutcome(base.name() + " with " + tag, replaceScalar(random, yaml, tag), null);
      }
      case 6 -> binaryGarbage(random, base);
      case 7 -> {
        String[] frame = pick(random, DOCUMENT_FRAMES);
        yield FuzzCase.anyOutcome(
            base.name() + " framed as " + escape(frame[0] + "..." + frame[1]), frame[0] + yaml + frame[1], null);
      }
      case 8 -> {
        String document = pick(random, ANCHOR_MISUSE);
        yield FuzzCase.anyOutcome("anchor misuse: " + escape(document), document, null);
      }
      case 9 -> deepNesting(random, base);
      case 10 -> dependencyChain(random, index);
      default -> {
        String document = pick(random, ODD_KEYS);
        yield FuzzCase.anyOutcome("odd keys: " + escape(document), document + yaml, null);
      }
    };
  }

  private static FuzzCase billionLaughs(SplittableRandom random) {
    int levels = 3 + random.nextInt(8);
    int fanout = 2 + random.nextInt(9);
    StringBuilder yaml = new StringBuilder("name: laughs\nnamespace_name: ns\nversion: 1.0.0\nmetadata:\n  l0: &l0 [lol, lol]\n");
    for (int level = 1; level <= levels; level++) {
      yaml.append("  l").append(level).append(": &l").append(level).append(" [")
          .append(String.join(", ", Collections.nCopies(fanout, "*l" + (level - 1)))).append("]\n");
    }
    String alias = "*l" + levels;
    String use = pick(random, List.of(
        "    handler: {callable: h, initialization: {x: " + alias + "}}\n",
        "    handler: {callable: " + alias + "}\n",
        "    handler: {callable: h}\n    dependencies: " + alias + "\n",
        "    handler: {callable: h}\n    retry: " + alias + "\n"));
    yaml.append("steps:\n  - name: a\n").append(use);
    return FuzzCase.anyOutcome("billion laughs, " + levels + " levels of " + fanout + " aliases", yaml.toString(), null);
  }

  private static FuzzCase longScalar(SplittableRandom random, Base base, int index) {
    int length = index % 996 == 1 ? 1 << 20 : 1_000 + random.nextInt(64_000);
    String unit = pick(random, List.of("x", "é", "ab ", "\n"));
    String scalar = unit.repeat(1 + length / unit.length()).substring(0, length);
    ObjectNode tree = base.tree();
    JsonNode step = pick(random, elements(tree.get("steps")));
    String field =
        pick(random, List.of("name", "description", "version", "step name", "callable", "dependency", "initialization"));
    switch (field) {
      case "step name" -> ((ObjectNode) step).put("name", scalar);
      case "callable" -> ((ObjectNode) step.get("handler")).put("callable", scalar);
      case "dependency" -> ((ObjectNode) step).putArray("dependencies").add(scalar);
      case "initialization" -> ((ObjectNode) step.get("handler")).putObject("initialization")
          .put(scalar.substring(0, Math.min(1_000, length)), scalar);
      default -> tree.put(field, scalar);
    }
    return FuzzCase.anyOutcome(base.name() + " with a " + length + "-char " + field, yaml(tree), null);
  }

  private static String tabs(SplittableRandom random, String yaml) {
    List<String> lines = new ArrayList<>(Arrays.asList(yaml.split("\n", -1)));
    boolean all = random.nextBoolean();
    for (int i = 0; i < lines.size(); i++) {
      if (all || random.nextInt(4) == 0) {
        lines.set(i, lines.get(i).replaceFirst("^( +)", "\t").replaceFirst(": ", ":\t"));
      }
    }
    return String.join("\n", lines);
  }

  private static FuzzCase unbalanced(SplittableRandom random, Base base) {
    if (random.nextBoolean()) {
      String json = base.tree().toString();
      int cut = 1 + random.nextInt(Math.min(8, json.length() - 1));
      return FuzzCase.anyOutcome(
          base.name() + " as flow YAML missing its last " + cut + " chars", json.substring(0, json.length() - cut), null);
    }
    String token = pick(random, List.of("[", "{", "]", "}", "'", "\"", "[[", "{{", "[{", "}]", "\"\\", "'''"));
    int at = random.nextInt(base.yaml().length());
    return FuzzCase.anyOutcome(
        base.name() + " with " + token + " at " + at, base.yaml().substring(0, at) + token + base.yaml().substring(at), null);
  }

  private static FuzzCase duplicateKey(SplittableRandom random, Base base) {
    List<String> lines = new ArrayList<>(Arrays.asList(base.yaml().split("\n", -1)));
    List<Integer> keyLines = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("^ *[a-z_]+:.*")) {
        keyLines.add(i);
      }
    }
    if (random.nextInt(4) == 0) {
      String key = pick(random, List.of("name", "namespace_name", "version", "steps", "\"name\"", "'version'"));
      return FuzzCase.anyOutcome(base.name() + " with top-level " + key + " twice", base.yaml() + "\n" + key + ": again\n", null);
    }
    int line = pick(random, keyLines);
    String key = lines.get(line).replaceFirst(":.*", "");
    lines.add(line, key + ": " + pick(random, List.of("dup", "1", "[]", "{}", "~", "''")));
    return FuzzCase.anyOutcome(base.name() + " with '" + key.trim() + "' twice at line " + line, String.join("\n", lines), null);
  }

  private static String replaceScalar(SplittableRandom random, String yaml, String replacement) {
    List<String> lines = new ArrayList<>(Arrays.asList(yaml.split("\n", -1)));
    List<Integer> scalars = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("^ *(- )?[a-z_]+: [^\\[{].*")) {
        scalars.add(i);
      }
    }
    if (scalars.isEmpty() || random.nextInt(8) == 0) {
      return replacement + "\n" + yaml;
    }
    int line = pick(random, scalars);
    lines.set(line, lines.get(line).replaceFirst(": .*", Matcher.quoteReplacement(": " + replacement)));
    return String.join("\n", lines);
  }

  private static FuzzCase binaryGarbage(SplittableRandom random, Base base) {
    int length = 1 + random.nextInt(2_000);
    StringBuilder garbage = new StringBuilder();
    boolean wide = random.nextBoolean();
    for (int i = 0; i < length; i++) {
      garbage.append((char) random.nextInt(wide ? 0x10000 : 0x100));
    }
    if (random.nextBoolean()) {
      return FuzzCase.anyOutcome(
          length + " random " + (wide ? "UTF-16 units" : "Latin-1 chars"), garbage.toString(), environment(random));
    }
    int at = random.nextInt(base.yaml().length());
    String chunk = garbage.substring(0, Math.min(length, 1 + random.nextInt(16)));
    return FuzzCase.anyOutcome(
        base.name() + " with " + escape(chunk) + " at " + at,
        base.yaml().substring(0, at) + chunk + base.yaml().substring(at),
        environment(random));
  }

  private static FuzzCase deepNesting(SplittableRandom random, Base base) {
    int depth = 300 + random.nextInt(1_200);
    String nested =
        switch (random.nextInt(5)) {
          case 0 -> "metadata: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
          case 1 -> "metadata: " + "{a: ".repeat(depth) + "1" + "}".repeat(depth) + "\n";
          case 2 -> "input_schema: " + "{properties: {p: ".repeat(depth / 2) + "{type: string}" + "}}".repeat(depth / 2) + "\n";
          case 3 -> "input_schema: " + "{items: ".repeat(depth) + "{type: string}" + "}".repeat(depth) + "\n";
          default -> "input_schema: " + "{not: ".repeat(depth) + "{type: string}" + "}".repeat(depth) + "\n";
        };
    String yaml = base.yaml().replaceFirst("(?m)^input_schema:", "replaced_input_schema:");
    return FuzzCase.anyOutcome(
        base.name() + " with " + nested.substring(0, 24) + "... " + depth + " levels", yaml + "\n" + nested, null);
  }

  private static FuzzCase dependencyChain(SplittableRandom random, int index) {
    boolean hostile = index % 240 == 10;
    int steps = hostile ? 5_000 + random.nextInt(500) : 2 + random.nextInt(300);
    String shape = hostile ? "reverse" : pick(random, List.of("forward", "reverse", "random"));
    StringBuilder yaml = new StringBuilder("name: chain\nnamespace_name: ns\nversion: 1.0.0\nsteps:\n");
    for (int i = 0; i < steps; i++) {
      yaml.append("  - {name: s").append(i).append(", handler: {callable: h}");
      int dependency =
          switch (shape) {
            case "forward" -> i - 1;
            case "reverse" -> i == steps - 1 ? -1 : i + 1;
            default -> random.nextInt(steps + 1) - 1;
          };
      if (dependency >= 0) {
        yaml.append(", dependencies: [s").append(dependency).append("]");
      }
      yaml.append("}\n");
    }
    return FuzzCase.anyOutcome("a " + shape + " chain of " + steps + " steps", yaml.toString(), null);
  }

  // ---- tree-level families ---------------------------------------------------------------------

  private static FuzzCase knownInvalidStructure(SplittableRandom random) {
    Base base = pick(random, BASES);
    ObjectNode tree = base.tree();
    ArrayNode steps = (ArrayNode) tree.get("steps");
    int index = random.nextInt(steps.size());
    ObjectNode step = (ObjectNode) steps.get(index);
    String name = step.get("name").asText();
    List<String> named = List.of("step '" + name + "'");
    String environment = null;
    String what;
    List<List<String>> mustName;
    switch (random.nextInt(17)) {
      case 0 -> {
        String field = pick(random, List.of("name", "namespace_name", "version"));
        JsonNode value = pick(random, nodes("", "  ", null, List.of(), Map.of(), true));
        if (random.nextBoolean()) {
          tree.remove(field);
          what = "no " + field;
        } else {
          tree.set(field, value);
          what = field + "=" + value;
        }
        mustName = List.of(List.of(": " + field + " "));
      }
      case 1 -> {
        JsonNode value = pick(random, nodes(List.of(), null, "steps", 3, Map.of("a", step), false));
        if (random.nextBoolean()) {
          tree.remove("steps");
          what = "no steps";
        } else {
          tree.set("steps", value);
          what = "steps=" + value;
        }
        mustName = List.of(List.of("steps must be a non-empty list"));
      }
      case 2 -> {
        JsonNode value = pick(random, nodes("", " \t", null, List.of("a"), Map.of(), true));
        if (random.nextBoolean()) {
          step.remove("name");
        } else {
          step.set("name", value);
        }
        what = "steps[" + index + "].name=" + step.get("name");
        mustName = List.of(List.of("steps[" + index + "]: name "));
      }
      case 3 -> {
        JsonNode value = pick(random, nodes(name + ".handler", null, List.of("h"), 1, true));
        if (random.nextBoolean()) {
          step.remove("handler");
        } else {
          step.set("handler", value);
        }
        what = name + ".handler=" + step.get("handler");
        mustName = List.of(named, List.of("handler"));
      }
      case 4 -> {
        ObjectNode handler = (ObjectNode) step.get("handler");
        JsonNode value = pick(random, nodes("", "   ", null, List.of("h"), Map.of(), false));
        if (random.nextBoolean()) {
          handler.remove("callable");
        } else {
          handler.set("callable", value);
        }
        what = name + ".handler.callable=" + handler.get("callable");
        mustName = List.of(named, List.of("callable"));
      }
      case 5 -> {
        JsonNode value = pick(random, List.of(
            NODES.textNode(name), NODES.numberNode(1), NODES.booleanNode(true), NODES.objectNode().put(name, 1),
            NODES.arrayNode().add(1), NODES.arrayNode().add(""), NODES.arrayNode().add(" "), NODES.arrayNode().addNull(),
            NODES.arrayNode().add(NODES.arrayNode().add("x")), NODES.arrayNode().add(NODES.objectNode())));
        step.set("dependencies", value);
        what = name + ".dependencies=" + value;
        mustName = List.of(named, List.of("dependencies"));
      }
      case 6 -> {
        String ghost =
            pick(random, List.of("ghost", "Ghost", name + "_", name.toUpperCase(Locale.ROOT), "s p a c e", "é", "🚀", "step'"))
                + random.nextInt(1_000);
        dependencies(step).add(ghost);
        what = name + " depends on unknown " + ghost;
        mustName = List.of(named, List.of("'" + ghost + "'"), List.of("unknown"));
      }
      case 7 -> {
        List<String> cycle = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, new Random(random.nextLong()));
        for (int i : order.subList(0, 1 + random.nextInt(Math.min(4, steps.size())))) {
          cycle.add(steps.get(i).get("name").asText());
        }
        for (int i = 0; i < cycle.size(); i++) {
          ArrayNode dependencies = dependencies((ObjectNode) stepNamed(steps, cycle.get(i)));
          String next = cycle.get((i + 1) % cycle.size());
          if (elements(dependencies).stream().noneMatch(d -> d.asText().equals(next))) {
            dependencies.add(next);
          }
        }
        what = "a cycle " + String.join(" -> ", cycle) + " -> " + cycle.get(0);
        mustName = List.of(List.of("cycle"), cycle.stream().map(s -> "'" + s + "'").toList());
      }
      case 8 -> {
        if (random.nextBoolean() || steps.size() == 1) {
          steps.add(step.deepCopy());
          what = "step " + name + " twice";
        } else {
          int other = (index + 1 + random.nextInt(steps.size() - 1)) % steps.size();
          ((ObjectNode) steps.get(other)).put("name", name);
          what = "steps[" + other + "] renamed to " + name;
        }
        mustName = List.of(List.of("'" + name + "'"), List.of("twice"));
      }
      case 9 -> {
        if (dependencies(step).isEmpty()) {
          dependencies(step).add(name);
          mustName = List.of(named, List.of("cycle"));
        } else {
          dependencies(step).add(dependencies(step).get(0).deepCopy());
          mustName = List.of(named, List.of("twice"));
        }
        what = name + ".dependencies=" + step.get("dependencies");
      }
      case 10 -> {
        // 2^64 + 3, 10 * 2^64 + 1000 and -2^64 + 5 wrap to 3, 1000 and 5 when read as a long
        JsonNode value = pick(random, nodes(
            "3", 3.5, true, List.of(), Map.of(), 0, -1, 1_001, Long.MAX_VALUE, Long.MIN_VALUE,
            new BigInteger("99999999999999999999"), TWO_TO_THE_64.add(BigInteger.valueOf(3)),
            TWO_TO_THE_64.multiply(BigInteger.TEN).add(BigInteger.valueOf(1_000)),
            TWO_TO_THE_64.negate().add(BigInteger.valueOf(5))));
        retry(step).set("max_attempts", value);
        what = name + ".retry.max_attempts=" + value;
        mustName = List.of(named, List.of("max_attempts"));
      }
      case 11 -> {
        String field = pick(random, List.of("backoff_base_ms", "max_backoff_ms"));
        JsonNode value = pick(random, nodes(
            -1, 86_400_001, "500", 0.5, new BigInteger("99999999999999999999"), TWO_TO_THE_64.add(BigInteger.valueOf(5)), true,
            List.of()));
        retry(step).set(field, value);
        what = name + ".retry." + field + "=" + value;
        mustName = List.of(named, List.of(field));
      }
      case 12 -> {
        JsonNode value = pick(random, List.of(
            NODES.textNode("30"), NODES.booleanNode(true), NODES.arrayNode().add(30), NODES.objectNode(), NODES.numberNode(0),
            NODES.numberNode(-1), NODES.numberNode(-0.5), NODES.numberNode(86_400.5), NODES.numberNode(86_401),
            NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(new BigInteger("99999999999999999999")),
            NODES.numberNode(Long.MIN_VALUE), NODES.textNode("")));
        step.set("timeout_seconds", value);
        what = name + ".timeout_seconds=" + value;
        mustName = List.of(named, List.of("timeout_seconds"));
      }
      case 13 -> {
        JsonNode value = pick(random, List.of(NODES.textNode("yes"), NODES.numberNode(1), NODES.arrayNode(), NODES.objectNode()));
        boolean whole = random.nextBoolean();
        if (whole) {
          step.set("retry", pick(random, nodes("always", 3, List.of(3), true)));
        } else {
          retry(step).set("retryable", value);
        }
        what = name + ".retry=" + step.get("retry");
        mustName = List.of(named, List.of(whole ? "retry must be a mapping" : "retryable"));
      }
      case 14 -> {
        JsonNode value = pick(random, nodes("config", List.of(1), 5, true));
        ((ObjectNode) step.get("handler")).set("initialization", value);
        what = name + ".handler.initialization=" + value;
        mustName = List.of(named, List.of("initialization"));
      }
      case 15 -> {
        JsonNode value = pick(random, nodes("object", List.of(), 5, true));
        tree.set("input_schema", value);
        what = "input_schema=" + value;
        mustName = List.of(List.of("input_schema"));
      }
      default -> {
        String ghost = "ghost_" + random.nextInt(1_000);
        environment = "test";
        ObjectNode override = NODES.objectNode().put("name", ghost).put("timeout_seconds", 5);
        tree.putObject("environments").putObject("test").putArray("steps").add(override);
        what = "environments.test overrides unknown step " + ghost;
        mustName = List.of(List.of("environments.test"), List.of(ghost));
      }
    }
    return new FuzzCase(base.name() + ": " + what, yaml(tree), environment, mustName);
  }

  private static FuzzCase randomStructure(SplittableRandom random) {
    Base base = pick(random, BASES);
    ObjectNode tree = base.tree();
    List<String> edits = new ArrayList<>();
    String environment = environment(random);
    for (int edit = 1 + random.nextInt(4); edit > 0; edit--) {
      List<JsonNode> containers = containers(tree);
      JsonNode container = pick(random, containers);
      JsonNode value = pick(random, RANDOM_VALUES).deepCopy();
      ArrayNode steps = tree.get("steps") instanceof ArrayNode array && !array.isEmpty() ? array : null;
      switch (random.nextInt(6)) {
        case 0 -> {
          if (container instanceof ObjectNode object && !object.isEmpty()) {
            String field = pick(random, fieldNames(object));
            object.remove(field);
            edits.add("remove " + field);
          } else if (container instanceof ArrayNode array && !array.isEmpty()) {
            array.remove(random.nextInt(array.size()));
            edits.add("remove an element");
          }
        }
        case 1 -> {
          if (container instanceof ObjectNode object && !object.isEmpty()) {
            String field = pick(random, fieldNames(object));
            object.set(field, value);
            edits.add(field + "=" + abbreviate(value));
          } else if (container instanceof ArrayNode array && !array.isEmpty()) {
            array.set(random.nextInt(array.size()), value);
            edits.add("element=" + abbreviate(value));
          }
        }
        case 2 -> {
          if (container instanceof ObjectNode object) {
            String field = pick(random, List.of(
                "type", "unknown_field", "retry", "timeout_seconds", "dependencies", "environments", "input_schema", "handler"));
            object.set(field, value);
            edits.add("add " + field + "=" + abbreviate(value));
          }
        }
        case 3 -> {
          if (steps != null && pick(random, elements(steps)).deepCopy() instanceof ObjectNode copy) {
            copy.put("name", copy.path("name").asText() + pick(random, List.of("", "_copy", " ")));
            steps.insert(random.nextInt(steps.size() + 1), copy);
            edits.add("copy a step as " + copy.get("name"));
          }
        }
        case 4 -> {
          if (steps != null && steps.get(random.nextInt(steps.size())) instanceof ObjectNode step) {
            String target = pick(random, elements(steps)).path("name").asText("?");
            if (step.get("dependencies") instanceof ArrayNode dependencies) {
              dependencies.add(target);
            } else {
              step.putArray("dependencies").add(target);
            }
            edits.add(step.path("name").asText() + " depends on " + target);
          }
        }
        default -> {
          if (steps != null) {
            String target = pick(random, elements(steps)).path("name").asText("?");
            ObjectNode override = NODES.objectNode().put("name", target);
            override.set(pick(random, List.of("timeout_seconds", "retry", "handler")), value);
            tree.putObject("environments").putObject("test").putArray("steps").add(override);
            environment = "test";
            edits.add("environments.test overrides " + target + " with " + abbreviate(value));
          }
        }
      }
    }
    return FuzzCase.anyOutcome(base.name() + " " + edits, yaml(tree), environment);
  }

  // ---- inputs ----------------------------------------------------------------------------------

  private static final List<String> YAML_CHARACTERS =
      List.of(":", "-", " ", "\t", "\n", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "#", "%", "@", "`", "?",
          ",", "0", "9", "a", "Z", "é", "\u0000", "\u0085", "\uFEFF", "\u2028", "\uD800", "\r");

  private static final List<String> YAML_TOKENS =
      List.of(": ", "- ", "\n  - ", "!!str ", "!!int ", "&a ", "*a", "<<: ", "? ", "---\n", "...\n", "|\n", ">-\n", "~",
          "null", "true", ".nan", "-.inf", "0x1F", "0o17", "1_000", "1e400", "99999999999999999999", "''", "\"\\x00\"",
          "\"\\uD800\"", "{", "[", "}", "]", "\n\tname: x", "\n-\n", "\"", "'");

  private static final List<String> TAGS =
      List.of("!!java/object:java.lang.ProcessBuilder [calc]",
          "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"file:///nonexistent/\"]]]]",
          "!!python/object/apply:os.system [\"ls\"]", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]",
          "!!timestamp 2001-12-14",
          "!!float x", "!!int x", "!!int 0x10", "!!str 5", "!!null ''", "!custom x", "!<tag:yaml.org,2002:str> x", "!!map {}",
          "!!seq []", "!! x", "!x!y z", "!!bool maybe", "!<!> x");

  private static final List<String[]> DOCUMENT_FRAMES =
      List.of(new String[] {"%YAML 1.1\n---\n", ""}, new String[] {"%YAML 2.0\n---\n", ""},
          new String[] {"%YAML 1.2\n%YAML 1.2\n---\n", ""},
          new String[] {"%TAG ! tag:evil.example,2026:\n---\n", ""}, new String[] {"---\n", "---\nname: second\n"},
          new String[] {"", "\n...\n"}, new String[] {"---\n---\n", ""}, new String[] {"--- !!map\n", ""},
          new String[] {"--- |\n", ""}, new String[] {"\uFEFF", ""}, new String[] {"# only a comment\n", "\n..."});

  private static final String HEADER = "name: t\nnamespace_name: ns\nversion: 1.0.0\n";

  private static final List<String> ANCHOR_MISUSE =
      List.of(
          HEADER + "steps:\n  - name: a\n    handler: {callable: *nope}\n",
          HEADER + "steps: &r [*r]\n",
          "name: &n t\nnamespace_name: *n\nversion: *n\nsteps:\n  - name: *n\n    handler: {callable: *n}\n",
          HEADER + "steps:\n  - &s {name: a, handler: {callable: h}}\n  - *s\n",
          HEADER + "base: &b {handler: {callable: h}}\nsteps:\n  - <<: *b\n    name: a\n",
          HEADER + "steps:\n  - name: a\n    handler: &h {callable: h}\n  - name: b\n    handler: *h\n",
          "&a name: t\n*a : x\n",
          "name: &a &b t\n",
          HEADER + "steps:\n  - name: a\n    handler: {callable: h}\n    dependencies: &d [*d]\n",
          HEADER + "steps:\n  - name: a\n    handler: {callable: h}\n    dependencies: [*a]\n",
          "&x\n");

  private static final List<String> ODD_KEYS =
      List.of("? [a, b]\n: c\n", "? |\n  x\n: y\n", "1: x\n", "~: x\n", ": x\n", "\"\": x\n", "<<: {name: merged}\n",
          "? {a: 1}\n: b\n", "é: x\n", "null: x\n", "true: x\n", "[name]: x\n");

  private static final List<JsonNode> RANDOM_VALUES =
      Stream.concat(
              nodes(
                  "", "  ", "x", "-1", "\u0000", 0, -1, -0.5, 0.0001, 0.0004, 1, 1_000, 86_400, Long.MAX_VALUE,
                  new BigDecimal("1e400"), TWO_TO_THE_64.add(BigInteger.TWO), new BigInteger("99999999999999999999"), true, null,
                  List.of(), List.of("x"), List.of(1), Map.of(), Map.of("callable", "h"),
                  Map.of("max_attempts", 2, "backoff_base_ms", 10), "y".repeat(10_000))
                  .stream(),
              Stream.of(nestedArrays(200)))
          .toList();

  // ---- helpers ---------------------------------------------------------------------------------

  private static List<Base> loadBases() {
    try (Stream<Path> tests = Files.list(Path.of("src/test/resources/templates"))) {
      Path examples = Path.of("../worker-examples/src/main/resources/templates");
      return Stream.concat(
              Stream.of(examples.resolve("order_fulfillment.yaml"), examples.resolve("diamond.yaml")), tests.sorted())
          .filter(p -> p.toString().endsWith(".yaml"))
          .map(p -> new Base(p.getFileName().toString(), read(p)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String yaml(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String environment(SplittableRandom random) {
    return pick(random, Arrays.asList(null, "test", "production"));
  }

  private static JsonNode stepNamed(ArrayNode steps, String name) {
    return elements(steps).stream().filter(s -> s.get("name").asText().equals(name)).findFirst().orElseThrow();
  }

  private static ArrayNode dependencies(ObjectNode step) {
    return step.get("dependencies") instanceof ArrayNode dependencies ? dependencies : step.putArray("dependencies");
  }

  private static ObjectNode retry(ObjectNode step) {
    return step.get("retry") instanceof ObjectNode retry ? retry : step.putObject("retry");
  }

  private static List<JsonNode> elements(JsonNode node) {
    List<JsonNode> elements = new ArrayList<>();
    node.elements().forEachRemaining(elements::add);
    return elements;
  }

  private static List<String> fieldNames(ObjectNode object) {
    return object.propertyStream().map(Map.Entry::getKey).toList();
  }

  /** The tree and every object or array in it, outside {@code input_schema} (no remote $refs). */
  private static List<JsonNode> containers(JsonNode tree) {
    List<JsonNode> containers = new ArrayList<>(List.of(tree));
    for (int i = 0; i < containers.size(); i++) {
      JsonNode node = containers.get(i);
      node.properties().stream()
          .filter(e -> !e.getKey().equals("input_schema") && e.getValue().isContainerNode())
          .forEach(e -> containers.add(e.getValue()));
      if (node.isArray()) {
        elements(node).stream().filter(JsonNode::isContainerNode).forEach(containers::add);
      }
    }
    return containers;
  }

  private static JsonNode nestedArrays(int depth) {
    ArrayNode root = NODES.arrayNode();
    ArrayNode current = root;
    for (int i = 1; i < depth; i++) {
      current = current.addArray();
    }
    return root;
  }

  /** Trees for plain Java values: strings, numbers, booleans, {@code null}, lists and maps. */
  private static List<JsonNode> nodes(Object... values) {
    return Arrays.stream(values).map(v -> v == null ? NODES.nullNode() : YAML.<JsonNode>valueToTree(v)).toList();
  }

  private static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String abbreviate(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + " chars)" : text;
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return out.toString();
  }

  private static String excerpt(String yaml) {
    String head = escape(yaml.length() > 300 ? yaml.substring(0, 300) : yaml);
    return head + (yaml.length() > 300 ? "...(" + yaml.length() + " chars)" : "");
  }
}
