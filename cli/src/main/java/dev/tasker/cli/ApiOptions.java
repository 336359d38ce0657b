package dev.tasker.cli;

import dev.tasker.client.TaskerHttpClient;
import picocli.CommandLine.Option;

/**
 * {@code --api URL} and {@code --token}, for the operator commands: with a URL they go through an
 * orchestrator's HTTP API instead of the database.
 */
final class ApiOptions {

  @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:TASKER_API_URL}",
      description = "Go through this orchestrator's HTTP API (for example http://127.0.0.1:8080) instead of the"
          + " database (default: TASKER_API_URL; unset: the database named by TASKER_DATABASE_URL).")
  String url;

  // Visible to ps when given as an option; the environment variable is the safer way.
  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:TASKER_API_TOKEN}",
      description = "Bearer token for --api (default: TASKER_API_TOKEN).")
  String token;

  /** Whether the command goes through the API. */
  boolean enabled() {
    return url != null && !url.isBlank();
  }

  /** A client of the API. */
  TaskerHttpClient client() {
    return TaskerHttpClient.builder(url).token(token).build();
  }
}
