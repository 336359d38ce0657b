package dev.tasker.cli;

import dev.tasker.orchestrator.HttpEndpoint;
import dev.tasker.orchestrator.OrchestratorConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks the HTTP endpoint of a one-machine run. */
final class LocalPorts {

  private LocalPorts() {}

  /**
   * {@code endpoint} when its port is free now, else the same host with port 0 (any free port), so
   * a demo or bench still starts when another process (another demo) holds the usual port; the
   * URL actually bound is printed.
   */
  static String freeOrAny(String endpoint) {
    if (endpoint.equals(OrchestratorConfig.HTTP_OFF)) {
      return endpoint;
    }
    HttpEndpoint parsed = HttpEndpoint.parse(endpoint);
    if (parsed.port() == 0) {
      return endpoint;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(parsed.host(), parsed.port()));
      return endpoint;
    } catch (IOException e) {
      String host = parsed.host().contains(":") ? "[" + parsed.host() + "]" : parsed.host();
      return host + ":0";
    }
  }
}
