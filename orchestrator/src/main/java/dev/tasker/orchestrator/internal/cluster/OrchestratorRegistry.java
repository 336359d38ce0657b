package dev.tasker.orchestrator.internal.cluster;

import dev.tasker.orchestrator.internal.db.Sql;
import dev.tasker.orchestrator.internal.db.Transactions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This orchestrator's row in {@code tasker.orchestrators}: written at start, its {@code
 * heartbeat_at} set to the database's {@code now()} every heartbeat interval by its own thread, and
 * {@code stopped_at} set on a clean stop. Each beat also reads which orchestrators are alive, for
 * WELCOME messages ({@link #peers()}).
 *
 * <p>The heartbeat has its own thread so that a long dispatch round or apply transaction cannot
 * make a healthy orchestrator look dead to the others.
 */
public final class OrchestratorRegistry implements Runnable {

  /** A live orchestrator and the endpoints it advertises. */
  public record Peer(String orchestratorId, List<String> endpoints) {}

  private static final Logger log = LoggerFactory.getLogger(OrchestratorRegistry.class);

  private final DataSource dataSource;
  private final Liveness liveness;
  private final long intervalMs;
  private final List<String> advertised;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile List<Peer> peers = List.of();

  /**
   * @param advertised the endpoints workers on other hosts should use to reach this orchestrator
   * @param intervalMs heartbeat period, in milliseconds
   */
  public OrchestratorRegistry(DataSource dataSource, Liveness liveness, List<String> advertised, long intervalMs) {
    this.dataSource = dataSource;
    this.liveness = liveness;
    this.advertised = List.copyOf(advertised);
    this.intervalMs = intervalMs;
  }

  /**
   * The endpoints to advertise: {@code configured} when it is not empty, else the bound {@code
   * tcp://} endpoints, with a wildcard host replaced by this machine's name.
   */
  public static List<String> advertised(List<String> configured, List<String> bound) {
    if (!configured.isEmpty()) {
      return configured;
    }
    List<String> result = new ArrayList<>();
    for (String endpoint : bound) {
      if (!endpoint.startsWith("tcp://")) {
        continue;
      }
      String address = endpoint.substring("tcp://".length());
      int portAt = address.lastIndexOf(':');
      String host = address.substring(0, Math.max(0, portAt));
      if (host.equals("*") || host.equals("0.0.0.0") || host.equals("[::]") || host.equals("[::0]")) {
        result.add("tcp://" + hostName() + address.substring(portAt));
      } else {
        result.add(endpoint);
      }
    }
    return result;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Writes this orchestrator's row (alive from now on) and forgets rows a week old. */
  public void register() {
    Transactions.inTransaction(dataSource, "registering the orchestrator", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OrchestratorRegistry.class, "forget_old_orchestrators.sql"))) {
        statement.executeUpdate();
      }
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OrchestratorRegistry.class, "register_orchestrator.sql"))) {
        statement.setString(1, liveness.orchestratorId());
        statement.setArray(2, connection.createArrayOf("text", advertised.toArray()));
        statement.setString(3, hostName());
        statement.executeUpdate();
      }
      peers = readPeers(connection);
      return null;
    });
  }

  /** The live orchestrators as of the last beat, this one included, oldest first. */
  public List<Peer> peers() {
    return peers;
  }

  /** One heartbeat and a fresh read of who is alive. Any thread but one at a time. */
  public void runOnce() {
    boolean present = Transactions.inTransaction(dataSource, "beating the orchestrator's heart", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(Sql.load(OrchestratorRegistry.class, "beat.sql"))) {
        statement.setString(1, liveness.orchestratorId());
        statement.setString(2, liveness.orchestratorId());
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          if (rs.getDouble(1) > liveness.windowMs()) {
            log.warn("this orchestrator's heartbeat was {} ms late: the others may have taken over its batches"
                + " (their results from now on are refused as superseded, never applied twice)", (long) rs.getDouble(1));
          }
        }
      }
      peers = readPeers(connection);
      return true;
    });
    if (!present) {
      log.warn("this orchestrator's row in tasker.orchestrators was gone; registering again");
      register();
    }
  }

  private List<Peer> readPeers(Connection connection) throws SQLException {
    List<Peer> live = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(Sql.load(OrchestratorRegistry.class, "live_orchestrators.sql"))) {
      statement.setLong(1, liveness.windowMs());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          Array endpoints = rs.getArray(2);
          live.add(new Peer(rs.getString(1), Arrays.asList((String[]) endpoints.getArray())));
        }
      }
    }
    return List.copyOf(live);
  }

  @Override
  public void run() {
    try {
      while (!stopRequested.await(intervalMs, TimeUnit.MILLISECONDS)) {
        try {
          runOnce();
        } catch (RuntimeException e) {
          log.warn("orchestrator heartbeat failed ({}); trying again in {} ms", e.getMessage(), intervalMs);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /** Stops the heartbeat thread and marks this orchestrator stopped, so others need not wait for it. */
  public void stop(long timeoutMillis) throws InterruptedException {
    stopRequested.countDown();
    stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
    try {
      Transactions.inTransaction(dataSource, "marking the orchestrator stopped", connection -> {
        try (PreparedStatement statement = connection.prepareStatement(Sql.load(OrchestratorRegistry.class, "stop_orchestrator.sql"))) {
          statement.setString(1, liveness.orchestratorId());
          statement.executeUpdate();
        }
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("could not mark orchestrator {} stopped ({}); the others will see it gone after {} ms",
          liveness.orchestratorId(), e.getMessage(), liveness.windowMs());
    }
  }
}
