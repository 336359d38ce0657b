package dev.tasker.orchestrator.internal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrchestratorRegistryTest {

  @Test
  void configured_advertised_endpoints_win() {
    assertThat(OrchestratorRegistry.advertised(List.of("tcp://orch-a:5555"), List.of("tcp://0.0.0.0:5555")))
        .containsExactly("tcp://orch-a:5555");
  }

  @Test
  void bound_tcp_endpoints_are_advertised_with_a_wildcard_host_replaced_by_the_host_name() throws Exception {
    String host = InetAddress.getLocalHost().getHostName();

    assertThat(OrchestratorRegistry.advertised(List.of(),
            List.of("tcp://127.0.0.1:41000", "inproc://tasker", "tcp://0.0.0.0:5555", "tcp://*:5556")))
        .containsExactly("tcp://127.0.0.1:41000", "tcp://" + host + ":5555", "tcp://" + host + ":5556");
  }
}
