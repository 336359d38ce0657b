package dev.tasker.schema;

import javax.sql.DataSource;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
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

  /**
   * The schema version a database is at, and the version this build's migrations lead to.
   *
   * @param applied the newest migration applied, or {@code null} when none is
   * @param expected the newest migration on the classpath
   */
  public record Version(String applied, String expected) {

    /** Whether the database is at exactly the version this build expects. */
    public boolean current() {
      return expected.equals(applied);
    }
  }

  /**
   * Reads the applied version from Flyway's history table and compares it with the migrations on
   * the classpath. Changes nothing. Scans the classpath: not for a hot path.
   *
   * @throws TaskerSchemaException when the database cannot be read
   */
  public static Version version(DataSource dataSource) {
    try {
      MigrationInfoService info = configure(Flyway.configure().dataSource(dataSource)).load().info();
      MigrationInfo current = info.current();
      String expected = Arrays.stream(info.all())
          .filter(migration -> migration.getState().isResolved() && migration.getVersion() != null)
          .map(MigrationInfo::getVersion)
          .max(MigrationVersion::compareTo)
          .map(MigrationVersion::getVersion)
          .orElseThrow(() -> new TaskerSchemaException("no migration found under " + LOCATION));
      return new Version(current == null || current.getVersion() == null ? null : current.getVersion().getVersion(),
          expected);
    } catch (FlywayException e) {
      throw new TaskerSchemaException("reading the version of schema " + NAME + " failed: " + e.getMessage(), e);
    }
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration configure(
      org.flywaydb.core.api.configuration.FluentConfiguration configuration) {
    return configuration
        .schemas(NAME)
        .defaultSchema(NAME)
        .createSchemas(true)
        .locations(LOCATION)
        .loggers("slf4j");
  }

  private static int migrate(org.flywaydb.core.api.configuration.FluentConfiguration configuration) {
    try {
      MigrateResult result = configure(configuration).load().migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new TaskerSchemaException("migrating schema " + NAME + " failed: " + e.getMessage(), e);
    }
  }
}
