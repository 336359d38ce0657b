package dev.tasker.orchestrator;

/** Orchestrator settings for tests. */
final class TestOrchestratorConfigs {

  private TestOrchestratorConfigs() {}

  /** A free loopback port and a 200 ms heartbeat. */
  static OrchestratorConfig fastHeartbeat() {
    return OrchestratorConfig.builder().endpoints("tcp://127.0.0.1:0").heartbeatIntervalMs(200).poolSize(8).build();
  }
}
