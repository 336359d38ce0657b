package dev.tasker.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasker.orchestrator.ConnectionPools;
import dev.tasker.orchestrator.TaskerClient;
import dev.tasker.orchestrator.TemplateRegistry;

/** A client on the database named by TASKER_DATABASE_URL, for one operator command. */
final class OperatorClient implements AutoCloseable {

  private final HikariDataSource pool;
  final TaskerClient client;

  OperatorClient(String command) {
    pool = ConnectionPools.open(Databases.external(command), 2, "tasker-operator");
    client = new TaskerClient(pool, TemplateRegistry.empty());
  }

  /** Who is acting, for the transitions' metadata: cli:$USER. */
  static String operator() {
    String user = System.getenv("USER");
    return "cli:" + (user == null || user.isBlank() ? "unknown" : user);
  }

  @Override
  public void close() {
    pool.close();
  }
}
