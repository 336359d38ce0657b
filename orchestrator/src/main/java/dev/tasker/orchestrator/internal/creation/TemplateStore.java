package dev.tasker.orchestrator.internal.creation;

import dev.tasker.orchestrator.TaskTemplate;
import dev.tasker.orchestrator.TemplateRegistry;
import dev.tasker.orchestrator.UnknownTemplateException;
import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.Transactions;
import dev.tasker.orchestrator.internal.template.TemplateParser;
import dev.tasker.protocol.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Templates as named tasks in the database: registers loaded templates (namespace and named task
 * rows, with the whole definition) and finds templates that only the database knows, so a process
 * without the template files can create tasks. Thread-safe.
 */
public final class TemplateStore {

  private final DataSource dataSource;
  private final TemplateRegistry registry;
  private final Map<String, UUID> namedTaskIds = new ConcurrentHashMap<>();
  private final Map<String, TaskTemplate> fromDatabase = new ConcurrentHashMap<>();

  public TemplateStore(DataSource dataSource, TemplateRegistry registry) {
    this.dataSource = dataSource;
    this.registry = registry;
  }

  /** Registers every template of the registry. */
  public void registerAll() {
    Transactions.inTransaction(
        dataSource,
        "registering templates",
        connection -> {
          for (TaskTemplate template : registry.all()) {
            namedTaskId(connection, template);
          }
          return null;
        });
  }

  /**
   * The template for a request: from the registry, else from the database.
   *
   * @throws UnknownTemplateException naming what was asked for
   */
  public TaskTemplate find(String namespace, String name, String version) {
    Optional<TaskTemplate> loaded = registry.find(namespace, name, version);
    if (loaded.isPresent()) {
      return loaded.get();
    }
    String key = namespace + "/" + name + ":" + (version == null ? "(latest)" : version);
    TaskTemplate cached = version == null ? null : fromDatabase.get(key);
    if (cached != null) {
      return cached;
    }
    TaskTemplate stored =
        Transactions.inTransaction(
            dataSource, "finding template " + key, connection -> load(connection, namespace, name, version));
    if (stored == null) {
      throw new UnknownTemplateException("no template " + key + " is loaded or stored");
    }
    if (version != null) {
      fromDatabase.put(key, stored);
    }
    return stored;
  }

  /** The named task id of {@code template}, registering it on first use. */
  public UUID namedTaskId(Connection connection, TaskTemplate template) throws SQLException {
    UUID cached = namedTaskIds.get(template.fullName());
    if (cached != null) {
      return cached;
    }
    UUID namespaceId;
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TemplateStore.class, "upsert_namespace.sql"))) {
      statement.setObject(1, Ids.newId());
      statement.setString(2, template.namespace());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        namespaceId = rs.getObject(1, UUID.class);
      }
    }
    UUID namedTaskId;
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TemplateStore.class, "upsert_named_task.sql"))) {
      statement.setObject(1, Ids.newId());
      statement.setObject(2, namespaceId);
      statement.setString(3, template.name());
      statement.setString(4, template.version());
      statement.setString(5, template.description());
      statement.setString(6, template.definition().toString());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        namedTaskId = rs.getObject(1, UUID.class);
      }
    }
    namedTaskIds.put(template.fullName(), namedTaskId);
    return namedTaskId;
  }

  private TaskTemplate load(Connection connection, String namespace, String name, String version)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(Sql.load(TemplateStore.class, "find_named_task.sql"))) {
      statement.setString(1, namespace);
      statement.setString(2, name);
      statement.setString(3, version);
      statement.setString(4, version);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        String source = "stored template " + namespace + "/" + name;
        return TemplateParser.parseYaml(rs.getString(1), source, null);
      }
    }
  }
}
