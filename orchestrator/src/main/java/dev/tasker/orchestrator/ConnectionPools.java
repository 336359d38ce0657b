package dev.tasker.orchestrator;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.schema.DatabaseSettings;

/** Connection pools for a Tasker database (HikariCP). */
public final class ConnectionPools {

  /**
   * Tasker's statements are few and run constantly, with arrays of keys as parameters: each is
   * prepared on the server at its first use (pgjdbc {@code prepareThreshold}) and keeps one generic
   * plan per connection, instead of being planned again at every execution (about a millisecond for
   * the larger ones, which PostgreSQL's default keeps paying when arrays are short).
   */
  static final int PREPARE_THRESHOLD = 1;

  /**
   * Session settings of every connection: generic plans (see {@link #PREPARE_THRESHOLD}), and no
   * table scan where an index can serve. Tasker finds rows by key, and a plan is kept while tables
   * grow: a plan made on a freshly analyzed handful of rows would otherwise scan the table (and
   * sort it) until the next ANALYZE, by then holding a million rows. Queries with no index to use
   * (reports that read every row) still scan.
   *
   * <p>And no JIT compilation: disabling scans adds a huge cost to any plan that still scans (a
   * two-row table such as {@code tasker.orchestrators}), which crosses {@code jit_above_cost}, so
   * PostgreSQL compiled such a statement on every run: 50 to 240 ms of server CPU for a query that
   * runs in 0.1 ms, each orchestrator heartbeat. Tasker's statements are short lookups by key that
   * JIT never speeds up.
   */
  static final String SESSION_OPTIONS =
      "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off -c jit=off";

  private ConnectionPools() {}

  /**
   * Opens a pool. Close it when done.
   *
   * @param poolSize most connections, at least 2
   * @param name the pool's name in logs and metrics
   */
  public static HikariDataSource open(DatabaseSettings settings, int poolSize, String name) {
    if (poolSize < 2) {
      throw new ConfigurationException("pool_size must be >= 2 but was " + poolSize);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    if (settings.username() != null) {
      config.setUsername(settings.username());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setPoolName(name);
    // A database that is down at start should not prevent the process from starting and retrying.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("prepareThreshold", String.valueOf(PREPARE_THRESHOLD));
    config.addDataSourceProperty("options", SESSION_OPTIONS);
    config.addDataSourceProperty("ApplicationName", name);
    return new HikariDataSource(config);
  }
}
