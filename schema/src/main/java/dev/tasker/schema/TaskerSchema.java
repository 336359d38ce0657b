package dev.tasker.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The Tasker schema. All tables live in the PostgreSQL schema {@value #NAME}; the migrations are
 * the Flyway scripts under {@code db/migration/tasker} on the classpath, and they are the only
 * definition of the schema: the orchestrator and every test apply them through this class.
 */
public final class TaskerSchema {

  /** The PostgreSQL schema that holds every Tasker table. */
  public static final String NAME = "tasker";

  private static final String LOCATION = "classpath:db/migration/tasker";

  private TaskerSchema() {}

  /**
   * Brings the schema up to date. Safe to call on every start and from several processes at once
   * (Flyway takes an advisory lock).
   *
   * @return the number of migrations applied
   * @throws TaskerSchemaException when the database cannot be reached or a migration fails
   */
  public static int migrate(DataSource dataSource) {
    return migrate(Flyway.configure().dataSource(dataSource));
  }

  /** Like {@link #migrate(DataSource)}, connecting with {@code settings}. */
  public static int migrate(DatabaseSettings settings) {
    return migrate(
        Flyway.configure().dataSource(settings.jdbcUrl(), settings.username(), settings.password()));
  }

  private static int migrate(org.flywaydb.core.api.configuration.FluentConfiguration configuration) {
    try {
      MigrateResult result =
          configuration
              .schemas(NAME)
              .defaultSchema(NAME)
              .createSchemas(true)
              .locations(LOCATION)
              .loggers("slf4j")
              .load()
              .migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new TaskerSchemaException("migrating schema " + NAME + " failed: " + e.getMessage(), e);
    }
  }
}
