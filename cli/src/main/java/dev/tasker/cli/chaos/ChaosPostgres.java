package dev.tasker.cli.chaos;

import dev.tasker.schema.DatabaseSettings;
import dev.tasker.schema.EmbeddedDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The chaos runs' PostgreSQL: an embedded server on a fixed port with its data in a directory of
 * its own, so it can be stopped and started again under running processes. Each scenario gets a
 * database of its own. Durable (fsync and synchronous commit on), though its data is thrown away:
 * it stands for a real PostgreSQL being restarted, and durability costs the chaos runs no time.
 */
final class ChaosPostgres implements AutoCloseable {

  private final Path dataDirectory;
  private final int port;
  private EmbeddedDatabase server;

  private ChaosPostgres(Path dataDirectory, int port) {
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  static ChaosPostgres start() throws IOException {
    ChaosPostgres postgres = new ChaosPostgres(Files.createTempDirectory("tasker-chaos-pg"), freePort());
    postgres.server = EmbeddedDatabase.start(Map.of(), postgres.dataDirectory, postgres.port);
    return postgres;
  }

  /** A new empty database on the server. */
  DatabaseSettings createDatabase(String name) throws SQLException {
    DatabaseSettings admin = server.settings();
    try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name);
      statement.execute("CREATE DATABASE " + name);
    }
    return admin.withDatabase(name);
  }

  /** Stops the server (clients lose their connections). */
  void stop() {
    server.close();
    server = null;
  }

  /** Starts the server again, same port, same data. */
  void startAgain() {
    server = EmbeddedDatabase.start(Map.of(), dataDirectory, port);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
