/**
 * The Tasker PostgreSQL schema and how to reach a database: {@link dev.tasker.schema.TaskerSchema}
 * applies the Flyway migrations, {@link dev.tasker.schema.DatabaseSettings} reads
 * {@code TASKER_DATABASE_URL}, and {@link dev.tasker.schema.EmbeddedDatabase} starts a real
 * PostgreSQL from Maven Central binaries when no external database is configured.
 */
package dev.tasker.schema;
