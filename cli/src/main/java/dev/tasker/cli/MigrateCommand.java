package dev.tasker.cli;

import dev.tasker.schema.TaskerSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tasker migrate}: applies the schema migrations to TASKER_DATABASE_URL. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Apply the schema migrations.", "To the database named by TASKER_DATABASE_URL."})
final class MigrateCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    int applied = TaskerSchema.migrate(Databases.external("tasker migrate"));
    System.out.println("migrate: applied=" + applied);
    return 0;
  }
}
