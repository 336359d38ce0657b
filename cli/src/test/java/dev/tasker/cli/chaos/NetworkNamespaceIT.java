package dev.tasker.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real namespaces and veth links (needs root, as CI has; without it every test here fails with
 * the reason): a process inside reaches the root end only while the link is up, names and
 * addresses are private to the run, and nothing is left behind.
 */
class NetworkNamespaceIT {

  private final List<NetworkNamespace> created = new ArrayList<>();

  @AfterEach
  void deleteNamespaces() {
    created.forEach(NetworkNamespace::close);
  }

  private NetworkNamespace aNamespace() {
    NetworkNamespace namespace = NetworkNamespace.create();
    created.add(namespace);
    return namespace;
  }

  @Test
  void a_process_inside_reaches_the_root_end_only_while_the_link_is_up() throws Exception {
    NetworkNamespace namespace = aNamespace();
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName(namespace.hostAddress()))) {
      assertThat(connectFromInside(namespace, server)).as("before the cut").isZero();

      namespace.cut();
      assertThat(namespace.isCut()).isTrue();
      assertThat(connectFromInside(namespace, server)).as("while cut").isNotZero();

      namespace.heal();
      assertThat(connectFromInside(namespace, server)).as("after the heal").isZero();
    }
  }

  @Test
  void while_cut_the_root_still_routes_to_the_namespace_over_the_dead_link_not_the_default_route() {
    NetworkNamespace namespace = aNamespace();
    namespace.cut();
    assertThat(SystemCommand.run(List.of(SystemCommand.path("ip"), "route", "get", namespace.namespaceAddress())))
        .contains("dev " + namespace.hostInterface() + " ");
  }

  @Test
  void names_fit_the_kernel_limit_and_the_addresses_are_a_private_link_local_pair() {
    NetworkNamespace first = aNamespace();
    NetworkNamespace second = aNamespace();
    for (NetworkNamespace namespace : List.of(first, second)) {
      assertThat(namespace.name()).startsWith(NetworkNamespace.NAMESPACE_PREFIX + ProcessHandle.current().pid() + "-");
      assertThat(List.of(namespace.hostInterface(), namespace.namespaceInterface()))
          .allSatisfy(name -> assertThat(name).startsWith(NetworkNamespace.INTERFACE_PREFIX)
              .hasSizeLessThanOrEqualTo(NetworkNamespace.MAX_INTERFACE_NAME));
      String[] host = namespace.hostAddress().split("\\.");
      String[] inside = namespace.namespaceAddress().split("\\.");
      assertThat(host[0] + "." + host[1]).isEqualTo("169.254");
      assertThat(Integer.parseInt(host[2])).isBetween(1, 254).isNotEqualTo(169);
      assertThat(inside[2]).isEqualTo(host[2]);
      assertThat(Integer.parseInt(host[3]) % 4).isEqualTo(1);
      assertThat(Integer.parseInt(inside[3])).isEqualTo(Integer.parseInt(host[3]) + 1);
    }
    assertThat(second.name()).isNotEqualTo(first.name());
    assertThat(second.hostInterface()).isNotEqualTo(first.hostInterface());
    assertThat(second.hostAddress()).isNotEqualTo(first.hostAddress());
  }

  @Test
  void close_deletes_the_namespace_and_both_interfaces() {
    NetworkNamespace namespace = NetworkNamespace.create();
    namespace.close();
    namespace.close();
    assertThat(SystemCommand.run(List.of(SystemCommand.path("ip"), "netns", "list"))).doesNotContain(namespace.name());
    assertThat(SystemCommand.run(List.of(SystemCommand.path("ip"), "-o", "link", "show")))
        .doesNotContain(namespace.hostInterface());
  }

  @Test
  void a_rate_limit_puts_a_token_bucket_on_both_ends_until_removed() {
    NetworkNamespace namespace = aNamespace();
    namespace.limitRate("24kbit");
    assertThat(namespace.qdiscs().split(";")).hasSize(2)
        .allSatisfy(end -> assertThat(end).contains("tbf").contains("rate 24Kbit"));
    namespace.removeRateLimit();
    assertThat(namespace.qdiscs()).doesNotContain("tbf");
  }

  @Test
  void stale_namespaces_and_links_of_dead_processes_are_deleted_and_live_ones_kept() throws Exception {
    NetworkNamespace live = aNamespace();
    long deadPid = aDeadPid();
    String staleNamespace = NetworkNamespace.NAMESPACE_PREFIX + deadPid + "-1";
    String staleLink = NetworkNamespace.INTERFACE_PREFIX + deadPid + "h1";
    String ip = SystemCommand.path("ip");
    SystemCommand.run(List.of(ip, "netns", "add", staleNamespace));
    SystemCommand.run(List.of(ip, "link", "add", staleLink, "type", "veth", "peer", "name",
        NetworkNamespace.INTERFACE_PREFIX + deadPid + "n1"));
    try {
      assertThat(NetworkNamespace.removeStale()).isGreaterThanOrEqualTo(2);

      assertThat(SystemCommand.run(List.of(ip, "netns", "list"))).doesNotContain(staleNamespace).contains(live.name());
      assertThat(SystemCommand.run(List.of(ip, "-o", "link", "show"))).doesNotContain(staleLink)
          .contains(live.hostInterface());
    } finally {
      SystemCommand.tryRun(List.of(ip, "netns", "del", staleNamespace));
      SystemCommand.tryRun(List.of(ip, "link", "del", staleLink));
    }
  }

  @Test
  void a_missing_tool_is_named_with_what_it_is_needed_for() {
    assertThatThrownBy(() -> SystemCommand.require("no-such-tool-tasker", "slowing a link"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'no-such-tool-tasker' was not found")
        .hasMessageContaining("slowing a link");
  }

  @Test
  void a_failing_command_reports_its_exit_code_and_error_output() {
    assertThatThrownBy(() -> SystemCommand.run(List.of("sh", "-c", "echo no such device >&2; exit 3")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exit 3")
        .hasMessageContaining("no such device");
  }

  /** Exit code of a TCP connect from inside the namespace to the server; 0 when it connected. */
  private static int connectFromInside(NetworkNamespace namespace, ServerSocket server) throws Exception {
    List<String> command = new ArrayList<>(namespace.launcher());
    command.addAll(List.of("bash", "-c",
        "exec 3<>/dev/tcp/" + namespace.hostAddress() + "/" + server.getLocalPort()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the connect attempt ends").isTrue();
    if (process.exitValue() == 0) {
      server.setSoTimeout(5000);
      try (Socket accepted = server.accept()) {
        assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo(namespace.namespaceAddress());
      }
    }
    return process.exitValue();
  }

  private static long aDeadPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}
