package dev.tasker.cli;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Chooses the database for a command: TASKER_DATABASE_URL, or an embedded PostgreSQL. */
final class Databases {

  /** A database to use and, when embedded, the server to stop afterwards. */
  record Choice(DatabaseSettings settings, EmbeddedDatabase embedded, String description) implements AutoCloseable {
    @Override
    public void close() {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private Databases() {}

  /**
   * The database named by {@code url} (a command-line option) if given, else by
   * TASKER_DATABASE_URL if set, else a throw-away embedded one.
   */
  static Choice externalOrEmbedded(String url) {
    return externalOrEmbedded(url, System.getenv());
  }

  /** Like {@link #externalOrEmbedded(String)}, reading TASKER_DATABASE_URL from {@code environment}. */
  static Choice externalOrEmbedded(String url, Map<String, String> environment) {
    Optional<DatabaseSettings> external =
        url != null ? Optional.of(DatabaseSettings.parse(url)) : DatabaseSettings.fromEnvironment(environment);
    if (external.isPresent()) {
      return new Choice(external.get(), null, "external PostgreSQL " + external.get().redactedUrl());
    }
    EmbeddedDatabase embedded = EmbeddedDatabase.start();
    return new Choice(embedded.settings(), embedded,
        "embedded PostgreSQL on port " + embedded.port() + " (--database-url or TASKER_DATABASE_URL to use your own)");
  }

  /**
   * The external database if TASKER_DATABASE_URL is set, else an embedded one that keeps its data
   * in {@code dataDirectory} across runs.
   */
  static Choice externalOrPersistentEmbedded(Path dataDirectory) {
    return externalOrPersistentEmbedded(dataDirectory, System.getenv());
  }

  /**
   * Like {@link #externalOrPersistentEmbedded(Path)}, reading TASKER_DATABASE_URL from {@code
   * environment}.
   */
  static Choice externalOrPersistentEmbedded(Path dataDirectory, Map<String, String> environment) {
    Optional<DatabaseSettings> external = DatabaseSettings.fromEnvironment(environment);
    if (external.isPresent()) {
      return new Choice(external.get(), null, "external PostgreSQL " + external.get().redactedUrl());
    }
    EmbeddedDatabase embedded = EmbeddedDatabase.start(Map.of(), dataDirectory);
    String url = "postgres://postgres@127.0.0.1:" + embedded.port() + "/" + EmbeddedDatabase.DATABASE;
    return new Choice(embedded.settings(), embedded,
        "embedded PostgreSQL, data in " + dataDirectory + "; other commands can reach it with\n"
            + "  export TASKER_DATABASE_URL=" + url);
  }

  /**
   * The database named by TASKER_DATABASE_URL.
   *
   * @throws IllegalStateException naming the variable when it is unset
   */
  static DatabaseSettings external(String command) {
    return DatabaseSettings.fromEnvironment(System.getenv())
        .orElseThrow(() -> new IllegalStateException(
            command + " needs TASKER_DATABASE_URL (for example postgres://user:password@localhost:5432/tasker)"));
  }
}
