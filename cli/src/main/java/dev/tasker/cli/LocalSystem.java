package dev.tasker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.Orchestrator;
import dev.tasker.orchestrator.OrchestratorConfig;
import dev.tasker.orchestrator.TemplateRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A database (the one named on the command line or by TASKER_DATABASE_URL, else embedded), a
 * connection pool and an orchestrator on a free loopback port: what the demo and the bench run
 * against. Closing it stops all three.
 */
final class LocalSystem implements AutoCloseable {

  private static final int POOL_SIZE = 16;

  final Databases.Choice database;
  final HikariDataSource pool;
  final Orchestrator orchestrator;

  private LocalSystem(String databaseUrl, List<String> templateResources, int batchSize) {
    // The orchestrator's TASKER_* settings apply here too (so a bench can be tuned like a deployment),
    // except where this system needs its own: a free loopback port and the batch size asked. They
    // are checked before the database starts. The pool, shared with this process's clients, is
    // POOL_SIZE connections unless TASKER_POOL_SIZE says otherwise.
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("TASKER_ENDPOINTS", "tcp://127.0.0.1:0");
    environment.putIfAbsent("TASKER_POOL_SIZE", String.valueOf(POOL_SIZE));
    environment.put("TASKER_BATCH_SIZE", String.valueOf(batchSize));
    OrchestratorConfig config = OrchestratorConfig.load(null, environment);
    database = Databases.externalOrEmbedded(databaseUrl);
    pool = ConnectionPools.open(database.settings(), config.poolSize(), "tasker-local");
    TemplateRegistry templates = TemplateRegistry.fromResources(getClass().getClassLoader(), templateResources, null);
    orchestrator = Orchestrator.builder().config(config).dataSource(pool).templates(templates).build().start();
  }

  static LocalSystem start(String databaseUrl, List<String> templateResources, int batchSize) {
    return new LocalSystem(databaseUrl, templateResources, batchSize);
  }

  @Override
  public void close() {
    orchestrator.close();
    pool.close();
    database.close();
  }
}
