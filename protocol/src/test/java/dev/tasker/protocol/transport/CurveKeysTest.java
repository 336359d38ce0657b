package dev.tasker.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurveKeysTest {

  @TempDir Path dir;

  @Test
  void derivesTheSamePublicKeyAsJeroMqGenerated() {
    for (int i = 0; i < 20; i++) {
      CurveKeyPair pair = CurveKeys.generate();
      assertThat(CurveKeys.publicKeyOf(pair.secretKey())).isEqualTo(pair.publicKey());
    }
  }

  @Test
  void aKeyPairNeverShowsItsSecretKey() {
    CurveKeyPair pair = CurveKeys.generate();
    assertThat(pair.toString()).contains(pair.publicKey()).doesNotContain(pair.secretKey());
  }

  @Test
  void aPublicKeyOfAnotherPairIsRefused() {
    CurveKeyPair one = CurveKeys.generate();
    CurveKeyPair other = CurveKeys.generate();
    assertThatThrownBy(() -> new CurveKeyPair(other.publicKey(), one.secretKey()))
        .hasMessage("the public key does not belong to the secret key");
  }

  @Test
  void readsASecretKeyFileWithCommentsAndDerivesItsPublicKey() throws Exception {
    CurveKeyPair pair = CurveKeys.generate();
    Path file = Files.writeString(dir.resolve("w.key"), "# worker w\n\n" + pair.secretKey() + "\n");
    assertThat(CurveKeys.readSecretKeyFile(file)).isEqualTo(pair);
  }

  @Test
  void readsEveryKeyOfAnAuthorizedKeysFile() throws Exception {
    String a = CurveKeys.generate().publicKey();
    String b = CurveKeys.generate().publicKey();
    Path file = Files.writeString(dir.resolve("authorized"), "# workers\n" + a + "\n  \n" + b + "\n");
    assertThat(CurveKeys.readKeyLines(file)).containsExactly(a, b);
  }

  @Test
  void aKeyOfTheWrongLengthIsRefusedWithItsLineButNotItsText() throws Exception {
    String key = CurveKeys.generate().publicKey();
    // Cut at the end: a key never starts with '#' (Z85's first digit of a 4-byte group is at most
    // its 83rd), but its second character may be '#', and a line starting with it is a comment.
    Path file = Files.writeString(dir.resolve("authorized"), "# workers\n" + key.substring(0, 39) + "\n");
    assertThatThrownBy(() -> CurveKeys.readKeyLines(file))
        .hasMessage(file + " line 2: the key must be 40 characters of Z85 but has 39")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key.substring(0, 39)));
  }

  @Test
  void aKeyWithACharacterOutsideZ85IsRefusedWithItsPosition() {
    String key = CurveKeys.generate().publicKey();
    String bad = key.substring(0, 5) + "~" + key.substring(6);
    assertThatThrownBy(() -> CurveKeys.decode("server public key", bad))
        .hasMessage("server public key has a character that is not Z85 at position 6");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("missing.key");
    assertThatThrownBy(() -> CurveKeys.readSecretKeyFile(missing))
        .hasMessage(missing + " cannot be read (no such file)");
  }

  @Test
  void aSecretKeyFileWithTwoKeysIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("two.key"),
        CurveKeys.generate().secretKey() + "\n" + CurveKeys.generate().secretKey() + "\n");
    assertThatThrownBy(() -> CurveKeys.readSecretKeyFile(file))
        .hasMessage(file + " must hold one secret key but holds 2");
  }

  @Test
  void thePublicHalfOfAPairIsRefusedWhereItsSecretKeyIsWantedAndTheOtherWayRound() throws Exception {
    CurveKeyPair pair = CurveKeys.generate();
    Path publicFile = Files.writeString(dir.resolve("w.pub"),
        CurveKeys.PUBLIC_HEADER + " of w (tasker keys generate)\n" + pair.publicKey() + "\n");
    Path secretFile = Files.writeString(dir.resolve("w.key"),
        CurveKeys.SECRET_HEADER + " of w (tasker keys generate); keep it private\n" + pair.secretKey() + "\n");

    assertThatThrownBy(() -> CurveKeys.readSecretKeyFile(publicFile))
        .hasMessage(publicFile + " holds a public key (its first line says '# CURVE public key'); give the secret"
            + " key file (NAME.key) here")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pair.publicKey()));
    assertThatThrownBy(() -> CurveKeys.readPublicKeyFile(secretFile))
        .hasMessage(secretFile + " holds a secret key (its first line says '# CURVE secret key'); give the public"
            + " key file (NAME.pub) here")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pair.secretKey()));
    assertThat(CurveKeys.readSecretKeyFile(secretFile)).isEqualTo(pair);
    assertThat(CurveKeys.readPublicKeyFile(publicFile)).isEqualTo(pair.publicKey());
  }
}
