package dev.tasker.cli.conformance;

import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import dev.tasker.protocol.transport.ZapHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The keys of a {@code --curve} run, generated for the run: the kit's server key pair, the worker
 * key the kit authorizes, and a stranger key it does not. The worker under test gets the server's
 * public key in {@code TASKER_CURVE_SERVER_KEY} and its secret key file in {@code
 * TASKER_CURVE_KEY_FILE} (and in place of {@value #SERVER_KEY_PLACEHOLDER} and {@value
 * #KEY_FILE_PLACEHOLDER} in its command).
 */
final class KitCurve {

  static final String SERVER_KEY_PLACEHOLDER = "{curve_server_key}";
  static final String KEY_FILE_PLACEHOLDER = "{curve_key_file}";

  private final CurveKeyPair server = CurveKeys.generate();
  private final CurveKeyPair worker = CurveKeys.generate();
  private final Path workerKeyFile;
  private final Path strangerKeyFile;

  /** Generates the keys and writes the two worker secret key files into {@code directory}. */
  KitCurve(Path directory) {
    try {
      Files.createDirectories(directory);
      workerKeyFile = writeSecret(directory.resolve("authorized-worker.key"), worker);
      strangerKeyFile = writeSecret(directory.resolve("unknown-worker.key"), CurveKeys.generate());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's CURVE keys in " + directory, e);
    }
  }

  private static Path writeSecret(Path file, CurveKeyPair pair) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, pair.secretKey() + "\n");
  }

  /** Starts the ZAP handler in {@code context}; call before {@code router} binds. */
  ZapHandler secure(ZContext context, ZMQ.Socket router) {
    ZapHandler zap = new ZapHandler(context, Set.of(worker.publicKey()), "the kit's authorized key");
    Thread thread = new Thread(zap, "conformance-zap");
    thread.setDaemon(true);
    thread.start();
    router.setCurveServer(true);
    router.setCurveSecretKey(CurveKeys.decode("kit secret key", server.secretKey()));
    router.setZAPDomain(ZapHandler.DOMAIN);
    return zap;
  }

  /** What the worker process gets: the authorized key file, or the stranger's. */
  Map<String, String> workerEnvironment(boolean authorized) {
    return Map.of("TASKER_CURVE_SERVER_KEY", server.publicKey(),
        "TASKER_CURVE_KEY_FILE", (authorized ? workerKeyFile : strangerKeyFile).toString());
  }

  /** The command's arguments with the CURVE placeholders replaced. */
  String resolve(String argument, boolean authorized) {
    return argument.replace(SERVER_KEY_PLACEHOLDER, server.publicKey())
        .replace(KEY_FILE_PLACEHOLDER, (authorized ? workerKeyFile : strangerKeyFile).toString());
  }
}
