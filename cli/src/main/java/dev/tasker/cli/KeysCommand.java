package dev.tasker.cli;

import dev.tasker.protocol.transport.CurveKeyPair;
import dev.tasker.protocol.transport.CurveKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker keys}: CURVE key files for the orchestrator and workers. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {"Create CURVE keys for the orchestrator and workers.",
      "tasker keys generate --out NAME writes NAME.key and NAME.pub."},
    subcommands = KeysCommand.Generate.class)
final class KeysCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code tasker keys generate --out NAME}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write a new CURVE key pair to NAME.key and NAME.pub.",
        "The keys are 40 characters of Z85, one per file:",
        "  NAME.key  the secret key, file mode 0600: give it only to the one",
        "            process it belongs to (curve_secret_key_file of the",
        "            orchestrator, or a worker's --curve-key-file);",
        "  NAME.pub  the public key: a worker's goes into the orchestrator's",
        "            curve_authorized_keys_file, the orchestrator's is the",
        "            workers' --curve-server-key.",
        "Existing files are never overwritten. Prints the two paths."
      })
  static final class Generate implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "NAME",
        description = "Path and name of the files, without extension (e.g. keys/worker-1).")
    Path out;

    @Override
    public Integer call() throws IOException {
      Path secretFile = Path.of(out + ".key");
      Path publicFile = Path.of(out + ".pub");
      for (Path file : new Path[] {secretFile, publicFile}) {
        if (Files.exists(file)) {
          throw new IllegalArgumentException(file + " exists; remove it or choose another --out");
        }
      }
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      CurveKeyPair pair = CurveKeys.generate();
      String name = out.getFileName().toString();
      writeSecret(secretFile, CurveKeys.SECRET_HEADER + " of " + name + " (tasker keys generate); keep it private\n"
          + pair.secretKey() + "\n");
      Files.writeString(publicFile, CurveKeys.PUBLIC_HEADER + " of " + name + " (tasker keys generate)\n"
          + pair.publicKey() + "\n", StandardOpenOption.CREATE_NEW);
      System.out.println("keys: secret=" + secretFile + " public=" + publicFile);
      return 0;
    }

    private static void writeSecret(Path file, String text) throws IOException {
      try {
        // Created with mode 0600, so the key is never readable by others, not even for a moment.
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        throw new IOException("cannot create " + file + " readable by its owner only on this file system", e);
      } catch (FileAlreadyExistsException e) {
        throw new IllegalArgumentException(file + " exists; remove it or choose another --out");
      }
      Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
    }
  }
}
