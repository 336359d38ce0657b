package dev.tasker.protocol.transport;

import com.neilalexander.jnacl.crypto.curve25519;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * CURVE keys as Tasker stores them: 32-byte Curve25519 keys written as 40 characters of Z85 (the
 * ZeroMQ text form). A key file holds one key on one line; blank lines and lines starting with
 * {@code #} are ignored. A secret key file ({@code NAME.key}) holds the secret key only, and the
 * public key is derived from it; a public key file ({@code NAME.pub}) holds the public key.
 *
 * <p>Key material comes from JeroMQ ({@link ZMQ.Curve}) and its NaCl library (jnacl); nothing
 * here is hand-written cryptography. Error messages never contain key text. Thread-safe (static,
 * stateless).
 */
public final class CurveKeys {

  /** Length of a key in Z85 text. */
  public static final int Z85_LENGTH = ZMQ.Curve.KEY_SIZE_Z85;

  /** Length of a key in bytes. */
  public static final int KEY_BYTES = ZMQ.Curve.KEY_SIZE;
  /** How the first line of a secret key file from {@code tasker keys generate} starts. */
  public static final String SECRET_HEADER = "# CURVE secret key";
  /** How the first line of a public key file from {@code tasker keys generate} starts. */
  public static final String PUBLIC_HEADER = "# CURVE public key";

  private static final String Z85_ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

  private CurveKeys() {}

  /** A new random key pair, from JeroMQ's key generation. */
  public static CurveKeyPair generate() {
    ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
    return new CurveKeyPair(pair.publicKey, pair.secretKey);
  }

  /**
   * The public key belonging to {@code secretKey} (Curve25519 scalar multiplication of the base
   * point, as NaCl's {@code crypto_box_keypair} does).
   *
   * @throws IllegalArgumentException when {@code secretKey} is not a Z85 key
   */
  public static String publicKeyOf(String secretKey) {
    byte[] secret = decode("secret key", secretKey);
    byte[] publicKey = new byte[KEY_BYTES];
    curve25519.crypto_scalarmult_base(publicKey, secret);
    return ZMQ.Curve.z85Encode(publicKey);
  }

  /**
   * The 32 bytes of a Z85 key.
   *
   * @param what what the key is, for the error message ({@code "server public key"})
   * @throws IllegalArgumentException naming {@code what} and what is wrong, without the key text
   */
  public static byte[] decode(String what, String z85) {
    if (z85 == null || z85.isEmpty()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (z85.length() != Z85_LENGTH) {
      throw new IllegalArgumentException(what + " must be " + Z85_LENGTH + " characters of Z85 but has "
          + z85.length() + (z85.length() == 64 ? " (it looks like hex; Tasker uses Z85, from tasker keys generate)"
          : ""));
    }
    for (int i = 0; i < z85.length(); i++) {
      if (Z85_ALPHABET.indexOf(z85.charAt(i)) < 0) {
        throw new IllegalArgumentException(what + " has a character that is not Z85 at position " + (i + 1));
      }
    }
    return ZMQ.Curve.z85Decode(z85);
  }

  /** {@code key} as Z85 text. */
  public static String encode(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("a key must be " + KEY_BYTES + " bytes but has " + key.length);
    }
    return ZMQ.Curve.z85Encode(key);
  }

  /**
   * Reads a secret key file and derives its public key.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static CurveKeyPair readSecretKeyFile(Path file) {
    List<String> lines = readLines(file);
    refuseIfHeaderSays(file, lines, PUBLIC_HEADER, "public key", "secret key file (NAME.key)");
    return CurveKeyPair.fromSecretKey(singleKey(file, lines, "secret key"));
  }

  /**
   * Reads a public key file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static String readPublicKeyFile(Path file) {
    List<String> lines = readLines(file);
    refuseIfHeaderSays(file, lines, SECRET_HEADER, "secret key", "public key file (NAME.pub)");
    return singleKey(file, lines, "public key");
  }

  /**
   * A public key is 40 characters of Z85 like a secret one, so the wrong file of a pair would be
   * taken as the right one (a worker would start with a key pair it does not own, or a secret key
   * would be passed around as a public one). The header {@code tasker keys generate} writes tells.
   */
  private static void refuseIfHeaderSays(Path file, List<String> lines, String header, String holds, String wanted) {
    for (String line : lines) {
      if (line.strip().startsWith(header)) {
        throw new IllegalArgumentException(file + " holds a " + holds + " (its first line says '" + header
            + "'); give the " + wanted + " here");
      }
    }
  }

  /**
   * The keys of a file of one Z85 key per line ({@code #} comments and blank lines ignored).
   *
   * @throws IllegalArgumentException naming the file, the line and what is wrong with it
   */
  public static List<String> readKeyLines(Path file) {
    return keys(file, readLines(file));
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " cannot be read ("
          + (Files.exists(file) ? e.getClass().getSimpleName() + ": " + e.getMessage() : "no such file") + ")");
    }
  }

  private static List<String> keys(Path file, List<String> lines) {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        decode("the key", line);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
      keys.add(line);
    }
    return keys;
  }

  private static String singleKey(Path file, List<String> lines, String what) {
    List<String> keys = keys(file, lines);
    if (keys.size() != 1) {
      throw new IllegalArgumentException(file + " must hold one " + what + " but holds " + keys.size());
    }
    return keys.get(0);
  }
}
