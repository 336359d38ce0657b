package dev.tasker.schema;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  // Hex digits, ':' and '.' (an embedded IPv4 address), and a zone after '%' (fe80::1%25eth0).
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._~%-]+)?");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final int MAX_PORT = 65535;

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
    // The authority is read here, not by URI: URI gives no host for names with '_' (Docker
    // Compose service names such as my_db), which are not valid internet host names.
    String authority = uri.getRawAuthority();
    int at = authority == null ? -1 : authority.lastIndexOf('@');
    String hostAndPort = checkedHostAndPort(authority == null ? "" : authority.substring(at + 1));
    String path = uri.getRawPath();
    if (path == null || path.length() <= 1) {
      throw new InvalidDatabaseUrlException("database URL has no database name");
    }
    String user = null;
    String password = null;
    if (at >= 0) {
      String[] parts = authority.substring(0, at).split(":", 2);
      user = percentDecode(parts[0]);
      password = parts.length > 1 ? percentDecode(parts[1]) : null;
    }
    StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append(hostAndPort).append(path);
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

  /** The JDBC URL with a {@code password} parameter shown as {@code ***}: for logs and messages. */
  public String redactedUrl() {
    return jdbcUrl.replaceAll("(?i)password=[^&]*", "password=***");
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + redactedUrl() + (username == null ? "" : ", user=" + username) + "]";
  }

  /**
   * {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}, as given.
   *
   * @throws InvalidDatabaseUrlException when there is no host, or the host or port is not one
   */
  private static String checkedHostAndPort(String hostPort) {
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      if (end < 0 || !IPV6_LITERAL.matcher(hostPort.substring(1, end)).matches()) {
        throw new InvalidDatabaseUrlException(
            "database URL host " + hostPort + " is not an IPv6 address in brackets");
      }
      host = hostPort.substring(0, end + 1);
      String rest = hostPort.substring(end + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new InvalidDatabaseUrlException("database URL has '" + rest + "' after the host " + host);
        }
        port = rest.substring(1);
      }
    } else if (hostPort.indexOf(':') >= 0) {
      host = hostPort.substring(0, hostPort.indexOf(':'));
      port = hostPort.substring(hostPort.indexOf(':') + 1);
    }
    if (host.isEmpty()) {
      throw new InvalidDatabaseUrlException("database URL has no host");
    }
    if (!host.startsWith("[") && !HOST_NAME.matcher(host).matches()) {
      throw new InvalidDatabaseUrlException("database URL host '" + host
          + "' may hold only letters, digits, '.', '-' and '_'");
    }
    if (port != null && !port.isEmpty()
        && (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > MAX_PORT)) {
      throw new InvalidDatabaseUrlException(
          "database URL port must be a number from 1 to " + MAX_PORT + " but was '" + port + "'");
    }
    return port == null || port.isEmpty() ? host : host + ":" + port;
  }

  /**
   * Decodes {@code %XX} escapes (UTF-8 bytes) and nothing else. Not {@code URLDecoder}: that is
   * form decoding, which turns a {@code +} into a space; in a URL's user and password a plus is a
   * plus, as libpq reads it.
   */
  private static String percentDecode(String value) {
    StringBuilder decoded = new StringBuilder(value.length());
    ByteArrayOutputStream escaped = new ByteArrayOutputStream();
    int i = 0;
    while (i < value.length()) {
      if (value.charAt(i) != '%') {
        decoded.append(escaped.toString(StandardCharsets.UTF_8)).append(value.charAt(i));
        escaped.reset();
        i++;
        continue;
      }
      int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
      if (low < 0) {
        // Never echo the value: it may be the password.
        throw new InvalidDatabaseUrlException(
            "database URL has a '%' in its user or password that is not followed by two hex digits");
      }
      escaped.write(high * 16 + low);
      i += 3;
    }
    return decoded.append(escaped.toString(StandardCharsets.UTF_8)).toString();
  }
}
