package dev.tasker.orchestrator;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the HTTP server listens: a host (name, IPv4, or IPv6 in brackets) and a port ({@code 0}
 * for any free one).
 *
 * @param host the host to bind, without brackets
 * @param port 0 to 65535
 */
public record HttpEndpoint(String host, int port) {

  /**
   * Parses {@code host:port} ({@code [::1]:8080} for IPv6).
   *
   * @throws ConfigurationException naming the value and what is wrong with it
   */
  public static HttpEndpoint parse(String value) {
    String text = value.trim();
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new ConfigurationException("http_endpoint must be host:port (for example 127.0.0.1:8080) or off but was '"
          + value + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new ConfigurationException("http_endpoint: an IPv6 address must be in brackets ([::1]:8080) but was '"
          + value + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535 || host.isBlank()) {
      throw new ConfigurationException("http_endpoint: the port must be 0 to 65535 and the host not blank but was '"
          + value + "'");
    }
    return new HttpEndpoint(host, port);
  }

  /** Whether only this machine can reach the address (loopback, or a name resolving to one). */
  public boolean isLoopback() {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      InetAddress[] addresses = InetAddress.getAllByName(host);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
