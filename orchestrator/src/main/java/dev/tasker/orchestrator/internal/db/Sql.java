package dev.tasker.orchestrator.internal.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runtime SQL kept in {@code .sql} resource files beside the class that runs it, never built by
 * string concatenation. Thread-safe.
 */
public final class Sql {

  private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

  private Sql() {}

  /**
   * The text of {@code <owner's package>/<name>}.
   *
   * @throws IllegalStateException when the resource is missing (a packaging bug)
   */
  public static String load(Class<?> owner, String name) {
    String path = owner.getPackageName().replace('.', '/') + "/" + name;
    return CACHE.computeIfAbsent(path, p -> read(owner, p));
  }

  private static String read(Class<?> owner, String path) {
    try (InputStream in = owner.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("SQL resource " + path + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
