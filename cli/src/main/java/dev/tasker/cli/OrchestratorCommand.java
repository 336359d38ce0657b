package dev.tasker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.examples.ExampleTemplates;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TemplateRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker orchestrator}: runs the orchestrator until stopped. */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the orchestrator until SIGTERM or Ctrl-C.",
      "Database: TASKER_DATABASE_URL, or an embedded PostgreSQL",
      "  (its data in the directory .tasker/postgres).",
      "Settings: --config FILE (YAML), overridden by TASKER_<KEY> environment",
      "  variables (docs/operations.md).",
      "Endpoints other hosts can reach (tcp://0.0.0.0:PORT) need CURVE",
      "  (--curve-secret-key-file and --curve-authorized-keys-file: encryption,",
      "  and only listed workers get in) or --allow-insecure. SIGHUP reloads",
      "  the authorized keys file.",
      "HTTP API, health, metrics and dashboard: http://127.0.0.1:8080/ unless",
      "  --http-endpoint says otherwise (off turns it off); docs/api.md."
    })
final class OrchestratorCommand implements Callable<Integer> {

  @Option(names = "--config", description = "YAML settings file (see docs/operations.md).")
  Path config;

  @Option(names = "--templates", description = "Directory of task templates (default: the bundled examples).")
  Path templates;

  @Option(names = "--endpoint", description = "Endpoint to bind; repeat for several (overrides the config).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--advertise", description = "Endpoint workers on other hosts should use to reach this orchestrator"
      + " (sent to workers of the other orchestrators on the same database); repeat for several (the"
      + " advertised_endpoints setting). Default: the bound ones, a wildcard host replaced by this host's name.")
  List<String> advertised = new ArrayList<>();

  @Option(names = "--allow-insecure", description = "Allow endpoints other hosts can reach, unencrypted"
      + " (the allow_insecure setting); only on a network you trust.")
  boolean allowInsecure;

  @Option(names = "--curve-secret-key-file", paramLabel = "FILE", description = "The orchestrator's CURVE secret key"
      + " (NAME.key from tasker keys generate; the curve_secret_key_file setting).")
  Path curveSecretKeyFile;

  @Option(names = "--curve-authorized-keys-file", paramLabel = "FILE", description = "Workers' CURVE public keys,"
      + " one per line, # comments (the curve_authorized_keys_file setting); reloaded on SIGHUP.")
  Path curveAuthorizedKeysFile;

  @Option(names = "--http-endpoint", paramLabel = "HOST:PORT",
      description = "Where the HTTP API, health checks, metrics and dashboard listen, or off (the http_endpoint"
          + " setting; default 127.0.0.1:8080). Another host's address needs API tokens (docs/api.md).")
  String httpEndpoint;

  @Option(names = "--env", defaultValue = "${env:TASKER_ENV}", description = "Template environment overrides to apply.")
  String environment;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (!endpoints.isEmpty()) {
      env.put("TASKER_ENDPOINTS", String.join(",", endpoints));
    }
    if (allowInsecure) {
      env.put("TASKER_ALLOW_INSECURE", "true");
    }
    if (httpEndpoint != null) {
      env.put("TASKER_HTTP_ENDPOINT", httpEndpoint);
    }
    if (!advertised.isEmpty()) {
      env.put("TASKER_ADVERTISED_ENDPOINTS", String.join(",", advertised));
    }
    if (curveSecretKeyFile != null) {
      env.put("TASKER_CURVE_SECRET_KEY_FILE", curveSecretKeyFile.toString());
    }
    if (curveAuthorizedKeysFile != null) {
      env.put("TASKER_CURVE_AUTHORIZED_KEYS_FILE", curveAuthorizedKeysFile.toString());
    }
    OrchestratorConfig settings = OrchestratorConfig.load(config, env);
    TemplateRegistry registry =
        templates != null
            ? TemplateRegistry.fromDirectory(templates, environment)
            : TemplateRegistry.fromResources(getClass().getClassLoader(), ExampleTemplates.ALL, environment);
    Databases.Choice database = Databases.externalOrPersistentEmbedded(Path.of(".tasker", "postgres"));
    HikariDataSource pool = ConnectionPools.open(database.settings(), settings.poolSize(), "tasker-orchestrator");
    Orchestrator orchestrator = Orchestrator.builder().config(settings).dataSource(pool).templates(registry).build();
    // SIGTERM and Ctrl-C are handled here rather than by shutdown hooks: the embedded PostgreSQL
    // stops in a hook of its own, which would race the orchestrator's last transactions.
    CountDownLatch stopRequested = new CountDownLatch(1);
    Signals.onTerminate(stopRequested::countDown);
    orchestrator.start();
    if (settings.curve() && Signals.onHangup(() -> reloadAuthorizedKeys(orchestrator))) {
      System.err.println("CURVE: SIGHUP reloads " + settings.curveAuthorizedKeysFile());
    }
    System.err.println("database: " + database.description());
    System.err.println("orchestrator " + orchestrator.orchestratorId() + " listening on " + orchestrator.endpoints()
        + " with templates " + registry.all().stream().map(t -> t.fullName()).toList());
    orchestrator.httpUrl().ifPresent(url -> System.err.println("HTTP API and dashboard on " + url + "/"));
    List<String> exposed = OrchestratorConfig.exposed(orchestrator.endpoints());
    if (!exposed.isEmpty() && !settings.curve()) {
      System.err.println("warning: " + exposed + " can be reached from other hosts, unencrypted and without worker"
          + " authentication (allow_insecure)");
    }
    stopRequested.await();
    System.err.println("orchestrator " + orchestrator.orchestratorId() + " stopping");
    orchestrator.close();
    pool.close();
    database.close();
    return 0;
  }

  private static void reloadAuthorizedKeys(Orchestrator orchestrator) {
    try {
      int keys = orchestrator.reloadAuthorizedKeys();
      System.err.println("CURVE: reloaded the authorized keys file: " + keys + " keys");
    } catch (RuntimeException e) {
      System.err.println("CURVE: the authorized keys file was not reloaded; the keys in use stay: " + e.getMessage());
    }
  }
}
