package dev.tasker.orchestrator;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.schema.DatabaseSettings;

/** Connection pools for a Tasker database (HikariCP). */
public final class ConnectionPools {

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
    // Tasker's statements are few and run constantly, with arrays of keys as parameters: prepare each
    // on the server at its first use and keep one generic plan per connection, instead of planning
    // the larger ones again at every execution (about a millisecond each, which PostgreSQL's default
    // keeps paying when arrays are short).
    config.addDataSourceProperty("prepareThreshold", "1");
    config.addDataSourceProperty("options", "-c plan_cache_mode=force_generic_plan");
    config.addDataSourceProperty("ApplicationName", name);
    return new HikariDataSource(config);
  }
}
