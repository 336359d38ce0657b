package dev.tasker.cli.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux network namespace joined to the root namespace by a veth pair with a private /30 of
 * link-local addresses (169.254.X.Y), for chaos scenarios that cut or slow one process's network:
 * a worker, or an orchestrator. Processes started with {@link #launcher()} run inside it and reach
 * the root namespace only at {@link #hostAddress()}; a process in the root namespace reaches them
 * at {@link #namespaceAddress()}. Nothing else is routed, so the scenario's traffic stays on the
 * link it created.
 *
 * <p>Names carry this JVM's PID and a counter ({@code tasker-chaos-<pid>-<n>}, interfaces
 * {@code tkc<pid>h<n>} and {@code tkc<pid>n<n>}, at most 15 characters), so concurrent runs never
 * share one. {@link #create()} first deletes namespaces and links of processes that no longer
 * exist (runs that crashed). {@link #close()} deletes the link and the namespace; a shutdown hook
 * does the same when the JVM ends without closing it.
 *
 * <p>Needs root (CAP_NET_ADMIN) and iproute2's {@code ip} ({@code tc} for {@link #limitRate});
 * {@link #create()} refuses with a message saying which is missing. Not thread-safe.
 */
final class NetworkNamespace implements AutoCloseable {

  /** Prefix of every namespace this class creates. */
  static final String NAMESPACE_PREFIX = "tasker-chaos-";
  /** Prefix of every interface this class creates. */
  static final String INTERFACE_PREFIX = "tkc";
  /** Linux's limit on interface names (IFNAMSIZ - 1). */
  static final int MAX_INTERFACE_NAME = 15;

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Pattern STALE_NAMESPACE = Pattern.compile(Pattern.quote(NAMESPACE_PREFIX) + "(\\d+)-\\d+");
  private static final Pattern STALE_INTERFACE =
      Pattern.compile("\\d+: (" + INTERFACE_PREFIX + "(\\d+)h\\d+)[@:].*");
  private static final Pattern LINK_LOCAL = Pattern.compile("169\\.254\\.(\\d+)\\.(\\d+)");
  /** Third octets to use: not 0 and 255 (reserved by RFC 3927), not 169 (cloud metadata, 169.254.169.254). */
  private static final int[] THIRD_OCTETS =
      java.util.stream.IntStream.rangeClosed(1, 254).filter(octet -> octet != 169).toArray();
  private static final int BLOCKS_PER_OCTET = 64;

  private final String name;
  private final String hostInterface;
  private final String namespaceInterface;
  private final String hostAddress;
  private final String namespaceAddress;
  private final Thread cleanupOnExit;
  private boolean cut;
  private boolean closed;

  private NetworkNamespace(String name, String hostInterface, String namespaceInterface, int[] block) {
    this.name = name;
    this.hostInterface = hostInterface;
    this.namespaceInterface = namespaceInterface;
    this.hostAddress = "169.254." + block[0] + "." + (block[1] + 1);
    this.namespaceAddress = "169.254." + block[0] + "." + (block[1] + 2);
    this.cleanupOnExit = new Thread(this::deleteQuietly, "delete-" + name);
  }

  /**
   * Creates a namespace and its link, both up, after deleting stale ones of dead processes.
   *
   * @throws IllegalStateException saying why, when {@code ip} is missing, this process is not
   *     root, or a command fails; whatever was created by then is deleted
   */
  static NetworkNamespace create() {
    SystemCommand.requireRoot("network-namespace chaos scenarios (they create namespaces and veth links)");
    SystemCommand.require("ip", "network-namespace chaos scenarios (install iproute2)");
    removeStale();
    long pid = ProcessHandle.current().pid();
    int number = COUNTER.incrementAndGet() % 10_000;
    NetworkNamespace namespace = new NetworkNamespace(NAMESPACE_PREFIX + pid + "-" + number,
        interfaceName(pid, 'h', number), interfaceName(pid, 'n', number), freeBlock(pid, number));
    Runtime.getRuntime().addShutdownHook(namespace.cleanupOnExit);
    try {
      namespace.build();
    } catch (RuntimeException e) {
      namespace.close();
      throw e;
    }
    return namespace;
  }

  private static String interfaceName(long pid, char side, int number) {
    String name = INTERFACE_PREFIX + pid + side + number;
    if (name.length() > MAX_INTERFACE_NAME) {
      throw new IllegalStateException("interface name '" + name + "' is longer than " + MAX_INTERFACE_NAME
          + " characters, the kernel's limit");
    }
    return name;
  }

  private void build() {
    ip("netns", "add", name);
    ip("link", "add", hostInterface, "type", "veth", "peer", "name", namespaceInterface, "netns", name);
    ip("addr", "add", hostAddress + "/30", "dev", hostInterface);
    ip("link", "set", hostInterface, "up");
    ip("-n", name, "addr", "add", namespaceAddress + "/30", "dev", namespaceInterface);
    ip("-n", name, "link", "set", namespaceInterface, "up");
    ip("-n", name, "link", "set", "lo", "up");
  }

  /** The namespace's name, for {@code ip netns exec}. */
  String name() {
    return name;
  }

  /** The root namespace's end of the link: bind here what the namespace's processes must reach. */
  String hostAddress() {
    return hostAddress;
  }

  /** The namespace's end of the link: bind here what root-namespace processes must reach. */
  String namespaceAddress() {
    return namespaceAddress;
  }

  String hostInterface() {
    return hostInterface;
  }

  String namespaceInterface() {
    return namespaceInterface;
  }

  /** The command prefix that runs a program inside the namespace. */
  List<String> launcher() {
    return List.of(SystemCommand.path("ip"), "netns", "exec", name);
  }

  /**
   * Cuts the link: packets either way are dropped, connections see silence (no reset), new ones
   * fail inside the namespace. It downs the namespace's end: downing the root end would remove the
   * root's route to the namespace, and its packets would leave by the default route instead.
   *
   * @throws IllegalStateException when the root would route to the namespace through another
   *     device while the link is cut (the link is healed again before throwing)
   */
  void cut() {
    ip("-n", name, "link", "set", namespaceInterface, "down");
    cut = true;
    String route = SystemCommand.run(List.of(SystemCommand.path("ip"), "route", "get", namespaceAddress));
    if (!route.contains("dev " + hostInterface + " ")) {
      heal();
      throw new IllegalStateException("with " + name + " cut, the root namespace would send its traffic elsewhere"
          + " (ip route get " + namespaceAddress + ": " + route.strip() + "); link healed, scenario stopped");
    }
  }

  /** Brings the link back after {@link #cut()}. */
  void heal() {
    ip("-n", name, "link", "set", namespaceInterface, "up");
    cut = false;
  }

  boolean isCut() {
    return cut;
  }

  /**
   * Shapes both directions of the link with a token bucket ({@code tc qdisc ... tbf}): a 4 kB
   * bucket, packets queued over a second dropped.
   *
   * @param rate in {@code tc}'s units, e.g. {@code 24kbit} (up to about 8mbit: faster needs a bigger bucket)
   * @throws IllegalStateException when {@code tc} is missing or refuses
   */
  void limitRate(String rate) {
    SystemCommand.require("tc", "slowing a link (install iproute2)");
    // A small bucket (a few full-size frames), so that bursts are shaped too, not only the
    // average; packets queued longer than the latency are dropped, and TCP retransmits them.
    List<String> shape = List.of("root", "tbf", "rate", rate, "burst", "4kb", "latency", "1s");
    tc(null, "qdisc", "replace", "dev", hostInterface, shape);
    tc(name, "qdisc", "replace", "dev", namespaceInterface, shape);
  }

  /** Removes the shaping of {@link #limitRate}. */
  void removeRateLimit() {
    SystemCommand.run(List.of(SystemCommand.path("tc"), "qdisc", "del", "dev", hostInterface, "root"));
    SystemCommand.run(List.of(SystemCommand.path("tc"), "-n", name, "qdisc", "del", "dev", namespaceInterface, "root"));
  }

  /** What {@code tc} reports for both ends, for logs. */
  String qdiscs() {
    return SystemCommand.run(List.of(SystemCommand.path("tc"), "qdisc", "show", "dev", hostInterface)).strip()
        + "; " + SystemCommand.run(List.of(SystemCommand.path("tc"), "-n", name, "qdisc", "show", "dev",
            namespaceInterface)).strip();
  }

  /**
   * Bytes the root end has sent (to the namespace) and received (from it), for logs.
   *
   * @throws IllegalStateException when the counters cannot be read
   */
  String byteCounts() {
    Path statistics = Path.of("/sys/class/net", hostInterface, "statistics");
    try {
      return "to_namespace_bytes=" + Files.readString(statistics.resolve("tx_bytes")).strip()
          + " from_namespace_bytes=" + Files.readString(statistics.resolve("rx_bytes")).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + statistics + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the link and the namespace. Idempotent; processes still inside lose their network. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    deleteQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }

  private void deleteQuietly() {
    SystemCommand.tryRun(List.of(SystemCommand.path("ip"), "link", "del", hostInterface));
    SystemCommand.tryRun(List.of(SystemCommand.path("ip"), "netns", "del", name));
  }

  /**
   * Deletes namespaces and root-side interfaces this class created for processes that no longer
   * exist; those of live processes (other runs) are left alone.
   *
   * @return how many were deleted
   */
  static int removeStale() {
    int removed = 0;
    for (String line : SystemCommand.run(List.of(SystemCommand.path("ip"), "-o", "link", "show")).split("\n")) {
      Matcher m = STALE_INTERFACE.matcher(line.strip());
      if (m.matches() && isDead(m.group(2)) && SystemCommand.tryRun(List.of(SystemCommand.path("ip"), "link", "del",
          m.group(1)))) {
        removed++;
      }
    }
    for (String line : SystemCommand.run(List.of(SystemCommand.path("ip"), "netns", "list")).split("\n")) {
      String[] words = line.strip().split("\\s+");
      Matcher m = STALE_NAMESPACE.matcher(words[0]);
      if (m.matches() && isDead(m.group(1)) && SystemCommand.tryRun(List.of(SystemCommand.path("ip"), "netns", "del",
          words[0]))) {
        removed++;
      }
    }
    return removed;
  }

  private static boolean isDead(String pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(pid));
    return process.isEmpty() || !process.get().isAlive();
  }

  /**
   * A /30 in 169.254.0.0/16 that no address or route of the root namespace uses, as its third
   * octet and its base (last octet); hosts are base+1 (root end) and base+2 (namespace end). The search
   * starts at a block derived from the PID and counter, so concurrent runs start far apart.
   */
  private static int[] freeBlock(long pid, int number) {
    Set<Integer> used = new HashSet<>();
    String addresses = SystemCommand.run(List.of(SystemCommand.path("ip"), "-4", "-o", "addr", "show"))
        + SystemCommand.run(List.of(SystemCommand.path("ip"), "-4", "route", "show", "table", "all"));
    Matcher m = LINK_LOCAL.matcher(addresses);
    while (m.find()) {
      used.add(Integer.parseInt(m.group(1)) * 256 + Integer.parseInt(m.group(2)) / 4 * 4);
    }
    int total = THIRD_OCTETS.length * BLOCKS_PER_OCTET;
    int start = (int) Math.floorMod(pid * 97 + number * 7919L, (long) total);
    for (int i = 0; i < total; i++) {
      int block = (start + i) % total;
      int octet = THIRD_OCTETS[block / BLOCKS_PER_OCTET];
      int base = block % BLOCKS_PER_OCTET * 4;
      if (!used.contains(octet * 256 + base)) {
        return new int[] {octet, base};
      }
    }
    throw new IllegalStateException("no free /30 in 169.254.0.0/16 for a chaos network namespace");
  }

  private void ip(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(SystemCommand.path("ip"));
    command.addAll(List.of(arguments));
    SystemCommand.run(command);
  }

  private static void tc(String namespace, String verb, String action, String dev, String device, List<String> rest) {
    List<String> command = new ArrayList<>();
    command.add(SystemCommand.path("tc"));
    if (namespace != null) {
      command.add("-n");
      command.add(namespace);
    }
    command.addAll(List.of(verb, action, dev, device));
    command.addAll(rest);
    SystemCommand.run(command);
  }
}
