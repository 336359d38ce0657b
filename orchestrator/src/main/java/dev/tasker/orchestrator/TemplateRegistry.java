package dev.tasker.orchestrator;

import dev.tasker.orchestrator.internal.template.TemplateParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The task templates an orchestrator or client knows, by namespace, name and version. Immutable and
 * thread-safe.
 */
public final class TemplateRegistry {

  /** Environment variable naming the {@code environments:} section that applies. */
  public static final String ENVIRONMENT_VARIABLE = "TASKER_ENV";

  private final Map<String, TaskTemplate> byKey;

  private TemplateRegistry(Map<String, TaskTemplate> byKey) {
    this.byKey = Map.copyOf(byKey);
  }

  /** A registry of the given templates. */
  public static TemplateRegistry of(Collection<TaskTemplate> templates) {
    Map<String, TaskTemplate> byKey = new LinkedHashMap<>();
    for (TaskTemplate template : templates) {
      if (byKey.putIfAbsent(key(template.namespace(), template.name(), template.version()), template) != null) {
        throw new TemplateException("template " + template.fullName() + " is defined twice");
      }
    }
    return new TemplateRegistry(byKey);
  }

  /** An empty registry. */
  public static TemplateRegistry empty() {
    return new TemplateRegistry(Map.of());
  }

  /**
   * Loads every {@code .yaml} and {@code .yml} file under {@code directory}, recursively.
   *
   * @param environment the {@code environments:} section to apply, or {@code null}
   * @throws TemplateException naming the file for the first invalid template
   */
  public static TemplateRegistry fromDirectory(Path directory, String environment) {
    if (!Files.isDirectory(directory)) {
      throw new TemplateException("template directory " + directory + " does not exist");
    }
    List<TaskTemplate> templates = new ArrayList<>();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(TemplateRegistry::isYaml).sorted().toList()) {
        templates.add(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), environment));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading templates under " + directory, e);
    }
    return of(templates);
  }

  /**
   * Loads templates from classpath resources.
   *
   * @param resources resource names, for example {@code templates/diamond.yaml}
   * @throws TemplateException naming the resource for the first invalid or missing template
   */
  public static TemplateRegistry fromResources(ClassLoader loader, List<String> resources, String environment) {
    List<TaskTemplate> templates = new ArrayList<>();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new TemplateException("template resource " + resource + " not found");
        }
        templates.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource, environment));
      } catch (IOException e) {
        throw new UncheckedIOException("reading template " + resource, e);
      }
    }
    return of(templates);
  }

  /**
   * Parses one template from YAML text.
   *
   * @param source names the text in error messages
   * @param environment the {@code environments:} section to apply, or {@code null}
   * @throws TemplateException naming the source and what is wrong
   */
  public static TaskTemplate parse(String yaml, String source, String environment) {
    return TemplateParser.parseYaml(yaml, source, environment);
  }

  /** This registry plus {@code other}'s templates. */
  public TemplateRegistry plus(TemplateRegistry other) {
    List<TaskTemplate> all = new ArrayList<>(byKey.values());
    all.addAll(other.byKey.values());
    return of(all);
  }

  /**
   * Finds a template.
   *
   * @param version the version, or {@code null} for the highest version known
   */
  public Optional<TaskTemplate> find(String namespace, String name, String version) {
    if (version != null) {
      return Optional.ofNullable(byKey.get(key(namespace, name, version)));
    }
    return byKey.values().stream()
        .filter(t -> t.namespace().equals(namespace) && t.name().equals(name))
        .max(Comparator.comparing(TaskTemplate::version, TemplateRegistry::compareVersions));
  }

  /** Every template. */
  public Collection<TaskTemplate> all() {
    return byKey.values();
  }

  /**
   * Orders versions such as {@code 1.2.0} and {@code 1.10.0} numerically part by part, falling back
   * to text for non-numeric parts.
   */
  public static int compareVersions(String a, String b) {
    String[] left = a.split("[.-]");
    String[] right = b.split("[.-]");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      String l = i < left.length ? left[i] : "0";
      String r = i < right.length ? right[i] : "0";
      int cmp;
      if (l.matches("\\d{1,9}") && r.matches("\\d{1,9}")) {
        cmp = Integer.compare(Integer.parseInt(l), Integer.parseInt(r));
      } else {
        cmp = l.compareTo(r);
      }
      if (cmp != 0) {
        return cmp;
      }
    }
    return 0;
  }

  private static boolean isYaml(Path path) {
    String name = path.getFileName().toString();
    return Files.isRegularFile(path) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private static String key(String namespace, String name, String version) {
    return namespace + "/" + name + ":" + version;
  }
}
