package dev.tasker.protocol.transport;

import java.util.Objects;

/**
 * A CURVE key pair, both keys as 40-character Z85 text. {@link #toString()} never shows the secret
 * key, so a key pair can be logged by accident without leaking it. Immutable.
 *
 * @param publicKey the public key, Z85
 * @param secretKey the secret key, Z85
 */
public record CurveKeyPair(String publicKey, String secretKey) {

  /**
   * Checks both keys' form, and that the public key belongs to the secret key.
   *
   * @throws IllegalArgumentException naming the key that is malformed or does not match
   */
  public CurveKeyPair {
    CurveKeys.decode("public key", Objects.requireNonNull(publicKey, "publicKey"));
    CurveKeys.decode("secret key", Objects.requireNonNull(secretKey, "secretKey"));
    if (!CurveKeys.publicKeyOf(secretKey).equals(publicKey)) {
      throw new IllegalArgumentException("the public key does not belong to the secret key");
    }
  }

  /** The pair whose secret key is {@code secretKey}, its public key derived from it. */
  public static CurveKeyPair fromSecretKey(String secretKey) {
    return new CurveKeyPair(CurveKeys.publicKeyOf(secretKey), secretKey);
  }

  @Override
  public String toString() {
    return "CurveKeyPair[publicKey=" + publicKey + ", secretKey=(not shown)]";
  }
}
