package dev.tasker.protocol.transport;

import java.util.Objects;
import org.zeromq.ZMQ;

/**
 * What a CURVE client (a worker's DEALER) needs: the server's public key and its own key pair.
 * Immutable; {@link #toString()} does not show the secret key.
 *
 * @param serverPublicKey the orchestrator's public key, Z85
 * @param own the client's key pair; its public key must be authorized at the server
 */
public record CurveClientKeys(String serverPublicKey, CurveKeyPair own) {

  /**
   * Checks the server key's form.
   *
   * @throws IllegalArgumentException when the server public key is not a Z85 key
   */
  public CurveClientKeys {
    CurveKeys.decode("server public key", serverPublicKey);
    Objects.requireNonNull(own, "own");
  }

  /**
   * Makes {@code socket} a CURVE client with these keys. Call before it connects, from the thread
   * that owns it.
   */
  public void applyTo(ZMQ.Socket socket) {
    socket.setCurveServerKey(CurveKeys.decode("server public key", serverPublicKey));
    socket.setCurvePublicKey(CurveKeys.decode("public key", own.publicKey()));
    socket.setCurveSecretKey(CurveKeys.decode("secret key", own.secretKey()));
  }
}
