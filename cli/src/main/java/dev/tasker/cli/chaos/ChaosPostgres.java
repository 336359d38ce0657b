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
 *
 * <p>It listens on loopback only, unless {@link #listenAlsoOn} adds the root end of a
 * {@link NetworkNamespace}'s link, so that a process in the namespace (an orchestrator) can reach it.
 */
final class ChaosPostgres implements AutoCloseable {

  private final Path dataDirectory;
  private final int port;
  private EmbeddedDatabase server;
  private Map<String, String> listening = Map.of();

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

  /** Starts the server again, same port, same data, same addresses. */
  void startAgain() {
    server = EmbeddedDatabase.start(listening, dataDirectory, port);
  }

  /**
   * Restarts the server listening on {@code address} as well as loopback, and accepting clients
   * from {@code clients} (a CIDR block) there, without a password like loopback's: for the private
   * link of a {@link NetworkNamespace}, which no other host can reach. Clients lose their connections.
   *
   * @param address an address of this host, such as {@link NetworkNamespace#hostAddress()}
   */
  void listenAlsoOn(String address, String clients) throws IOException {
    Path hba = Files.createTempFile("tasker-chaos-pg_hba", ".conf");
    Files.writeString(hba, String.join(System.lineSeparator(),
        "local all all trust",
        "host all all 127.0.0.1/32 trust",
        "host all all ::1/128 trust",
        "host all all " + clients + " trust", ""));
    restartWith(Map.of("listen_addresses", "localhost," + address, "hba_file", hba.toString()));
  }

  /** Undoes {@link #listenAlsoOn}: restarts the server on loopback only, if it listened elsewhere too. */
  void listenOnLoopbackOnly() {
    if (!listening.isEmpty()) {
      restartWith(Map.of());
    }
  }

  private void restartWith(Map<String, String> settings) {
    stop();
    listening = settings;
    startAgain();
  }

  /** The JDBC URL of {@code settings}, reaching the server at {@code host} instead of loopback. */
  static String jdbcUrlAt(DatabaseSettings settings, String host) {
    String url = settings.jdbcUrl().replaceFirst("//localhost:", "//" + host + ":");
    if (url.equals(settings.jdbcUrl())) {
      throw new IllegalStateException("expected a localhost JDBC URL, got " + settings.jdbcUrl());
    }
    return url;
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
