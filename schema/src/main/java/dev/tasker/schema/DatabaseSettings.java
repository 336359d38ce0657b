package dev.tasker.schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a Tasker database is: a JDBC URL and credentials. Immutable.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL
 * @param username the user, or {@code null} to let the driver decide
 * @param password the password, or {@code null}; never printed by {@link #toString()}
 */
public record DatabaseSettings(String jdbcUrl, String username, String password) {

  /** The environment variable naming an external database. */
  public static final String ENVIRONMENT_VARIABLE = "TASKER_DATABASE_URL";

  private static final String JDBC_PREFIX = "jdbc:postgresql://";

  /** Validates the URL's scheme. */
  public DatabaseSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
      throw new InvalidDatabaseUrlException("jdbcUrl must start with " + JDBC_PREFIX);
    }
  }

  /**
   * Reads {@value #ENVIRONMENT_VARIABLE} from {@code environment}.
   *
   * @return the settings, or empty when the variable is unset or blank
   * @throws InvalidDatabaseUrlException when it is set but cannot be understood
   */
  public static Optional<DatabaseSettings> fromEnvironment(Map<String, String> environment) {
    String url = environment.get(ENVIRONMENT_VARIABLE);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(parse(url.trim()));
  }

  /**
   * Parses a database URL in any of the usual forms: {@code
   * postgres://user:password@host:port/database}, {@code postgresql://...}, or {@code
   * jdbc:postgresql://host:port/database?user=...&password=...}.
   *
   * @throws InvalidDatabaseUrlException naming what is wrong (never echoing a password)
   */
  public static DatabaseSettings parse(String url) {
    if (url.startsWith(JDBC_PREFIX)) {
      return new DatabaseSettings(url, null, null);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidDatabaseUrlException(
          "database URL is not a valid URI (expected postgres://user:password@host:port/database)");
    }
    if (uri.getScheme() == null) {
      throw new InvalidDatabaseUrlException(
          "database URL has no scheme (expected postgres://user:password@host:port/database)");
    }
    if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
      throw new InvalidDatabaseUrlException(
          "database URL scheme must be postgres, postgresql or jdbc:postgresql but was '"
              + uri.getScheme()
              + "'");
    }
    if (uri.getHost() == null) {
      throw new InvalidDatabaseUrlException("database URL has no host");
    }
    String path = uri.getRawPath();
    if (path == null || path.length() <= 1) {
      throw new InvalidDatabaseUrlException("database URL has no database name");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(path);
    if (uri.getRawQuery() != null) {
      jdbc.append('?').append(uri.getRawQuery());
    }
    return new DatabaseSettings(jdbc.toString(), user, password);
  }

  /** The same server and credentials with another database name. */
  public DatabaseSettings withDatabase(String database) {
    String rest = jdbcUrl.substring(JDBC_PREFIX.length());
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    return new DatabaseSettings(JDBC_PREFIX + hostPort + "/" + database + params, username, password);
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + jdbcUrl.replaceAll("password=[^&]*", "password=***")
        + (username == null ? "" : ", user=" + username) + "]";
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
