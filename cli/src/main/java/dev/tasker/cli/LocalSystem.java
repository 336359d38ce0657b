package dev.tasker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TemplateRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A database (the one named on the command line or by TASKER_DATABASE_URL, else embedded), a
 * connection pool and an orchestrator on a free loopback port: what the demo and the bench run
 * against; optionally more orchestrators on the same database, each with its own pool, as
 * separate instances would be. Closing it stops them all.
 */
final class LocalSystem implements AutoCloseable {

  private static final int POOL_SIZE = 16;

  final Databases.Choice database;
  final HikariDataSource pool;
  final Orchestrator orchestrator;
  private final List<Orchestrator> others = new ArrayList<>();
  private final List<HikariDataSource> otherPools = new ArrayList<>();

  private LocalSystem(String databaseUrl, List<String> templateResources, int batchSize, int orchestrators,
      String httpEndpoint) {
    // The orchestrator's TASKER_* settings apply here too (so a bench can be tuned like a deployment),
    // except where this system needs its own: a free loopback port and the batch size asked. They
    // are checked before the database starts. The pool, shared with this process's clients, is
    // POOL_SIZE connections unless TASKER_POOL_SIZE says otherwise.
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("TASKER_ENDPOINTS", "tcp://127.0.0.1:0");
    environment.putIfAbsent("TASKER_POOL_SIZE", String.valueOf(POOL_SIZE));
    environment.put("TASKER_BATCH_SIZE", String.valueOf(batchSize));
    // Only the first orchestrator serves HTTP: the others would all want the same port.
    environment.putIfAbsent("TASKER_HTTP_ENDPOINT", httpEndpoint);
    OrchestratorConfig config = OrchestratorConfig.load(null, environment);
    environment.put("TASKER_HTTP_ENDPOINT", OrchestratorConfig.HTTP_OFF);
    OrchestratorConfig othersConfig = OrchestratorConfig.load(null, environment);
    database = Databases.externalOrEmbedded(databaseUrl);
    pool = ConnectionPools.open(database.settings(), config.poolSize(), "tasker-local");
    TemplateRegistry templates = TemplateRegistry.fromResources(getClass().getClassLoader(), templateResources, null);
    orchestrator = Orchestrator.builder().config(config).dataSource(pool).templates(templates).build().start();
    try {
      for (int i = 2; i <= orchestrators; i++) {
        HikariDataSource otherPool = ConnectionPools.open(database.settings(), config.poolSize(), "tasker-local-" + i);
        otherPools.add(otherPool);
        others.add(Orchestrator.builder().config(othersConfig).dataSource(otherPool).templates(templates)
            .migrateOnStart(false).build().start());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * With {@code orchestrators} orchestrators (at least 1) on the same database; the first serves
   * HTTP on {@code httpEndpoint} ({@code off}, or {@code host:port}) unless TASKER_HTTP_ENDPOINT
   * says otherwise.
   */
  static LocalSystem start(String databaseUrl, List<String> templateResources, int batchSize, int orchestrators,
      String httpEndpoint) {
    return new LocalSystem(databaseUrl, templateResources, batchSize, orchestrators, httpEndpoint);
  }

  /** Every orchestrator's TCP endpoint, comma-separated, as workers take them. */
  String endpoints() {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(orchestrator.tcpEndpoint());
    others.forEach(other -> endpoints.add(other.tcpEndpoint()));
    return String.join(",", endpoints);
  }

  @Override
  public void close() {
    others.forEach(Orchestrator::close);
    otherPools.forEach(HikariDataSource::close);
    orchestrator.close();
    pool.close();
    database.close();
  }
}
