package dev.tasker.orchestrator.internal.transport;

import dev.tasker.protocol.Welcome;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the transport needs from the orchestrator's configuration.
 *
 * @param endpoints endpoints to bind; a tcp port of 0 or * means any free port
 * @param heartbeatIntervalMs heartbeat period, both ways
 * @param heartbeatLiveness missed intervals after which a silent worker is dead
 * @param sendHighWaterMark ROUTER send queue limit, in messages
 * @param receiveHighWaterMark ROUTER receive queue limit, in messages
 * @param maxMessageBytes larger messages are refused
 * @param orchestratorId this process's id, sent in WELCOME
 * @param encodings body encodings offered, most preferred first
 * @param peers the live orchestrators on the same database, this one included, named in each
 *     WELCOME so that a worker given one endpoint finds the others; read at each HELLO
 */
public record TransportSettings(
    List<String> endpoints,
    long heartbeatIntervalMs,
    int heartbeatLiveness,
    int sendHighWaterMark,
    int receiveHighWaterMark,
    int maxMessageBytes,
    String orchestratorId,
    List<String> encodings,
    Supplier<List<Welcome.OrchestratorEndpoints>> peers) {

  /** Copies the lists. */
  public TransportSettings {
    endpoints = List.copyOf(endpoints);
    encodings = List.copyOf(encodings);
  }
}
