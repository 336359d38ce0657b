package dev.tasker.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.protocol.transport.ZapHandler;
import dev.tasker.worker.internal.WorkerLoop;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A worker whose key a CURVE orchestrator does not authorize hears nothing (the refused handshake
 * is silent on its side), so it says once, in its own log, what to check.
 */
class CurveRefusalIT {

  @Test
  void a_worker_refused_by_curve_warns_once_that_no_welcome_came_naming_no_key() throws Exception {
    CurveKeyPair server = CurveKeys.generate();
    CurveKeyPair unknown = CurveKeys.generate();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    try (ZContext context = new ZContext()) {
      ZapHandler zap = new ZapHandler(context, Set.of(), "the test's authorized keys");
      Thread zapThread = new Thread(zap, "test-zap");
      zapThread.start();
      ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
      router.setLinger(0);
      router.setCurveServer(true);
      router.setCurveSecretKey(CurveKeys.decode("server secret key", server.secretKey()));
      router.setZAPDomain(ZapHandler.DOMAIN);
      String endpoint = "tcp://127.0.0.1:" + router.bindToRandomPort("tcp://127.0.0.1");
      System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
      try (StepWorker worker = StepWorker.builder().endpoint(endpoint).handlers(Map.of("noop", step -> null))
          .curveServerKey(server.publicKey()).curveKeyPair(unknown).helloRetryMax(Duration.ofMillis(200))
          .drainTimeout(Duration.ofSeconds(1)).build().start()) {
        String warning = "no WELCOME from " + endpoint + " after " + WorkerLoop.NO_WELCOME_WARNING_MS / 1000 + " s";
        long deadline = System.nanoTime() + Duration.ofMillis(WorkerLoop.NO_WELCOME_WARNING_MS + 10_000).toNanos();
        while (!log(captured).contains(warning) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        // A few more HELLOs and a reopened socket later, still once.
        Thread.sleep(1500);

        assertThat(worker.awaitRegistered(Duration.ZERO)).isFalse();
        assertThat(log(captured).lines().filter(line -> line.contains(warning)))
            .singleElement().asString()
            .contains("authorized keys file", "server key")
            .doesNotContain(unknown.publicKey(), unknown.secretKey(), server.publicKey(), server.secretKey());
      } finally {
        System.setErr(originalErr);
        context.destroySocket(router);
        zap.requestStop();
        zap.awaitStopped(5000);
      }
    }
  }

  private static String log(ByteArrayOutputStream captured) {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes to the real stream and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final OutputStream original;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream original, ByteArrayOutputStream copy) {
      this.original = original;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (copy) {
        copy.write(bytes, offset, length);
      }
      ((PrintStream) original).write(bytes, offset, length);
    }
  }
}
