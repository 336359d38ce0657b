package dev.tasker.orchestrator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the HTTP API accepts: a {@code read} token may call every {@code GET}, an
 * {@code operate} token everything. Immutable. {@link #toString()} shows how many tokens there
 * are, never a token, so a logged configuration leaks none.
 */
public final class ApiTokens {

  /** No tokens: every request is allowed (only on a loopback {@code http_endpoint}). */
  public static final ApiTokens NONE = new ApiTokens(List.of(), List.of());

  /** Shortest token accepted: 16 characters, so a guessable word is refused. */
  public static final int MIN_LENGTH = 16;

  /** What a token allows. */
  public enum Role {
    /** Every {@code GET}. */
    READ,
    /** Everything, reads included. */
    OPERATE
  }

  private final List<byte[]> read;
  private final List<byte[]> operate;

  /**
   * @throws ConfigurationException when a token is shorter than {@value #MIN_LENGTH} characters or
   *     has white space (the message names the setting, not the token)
   */
  public ApiTokens(List<String> readTokens, List<String> operateTokens) {
    this.read = digests("api_read_tokens", readTokens);
    this.operate = digests("api_operate_tokens", operateTokens);
  }

  /** Whether no token is configured. */
  public boolean isEmpty() {
    return read.isEmpty() && operate.isEmpty();
  }

  /**
   * The role of {@code token}, compared in constant time against every configured token (by their
   * SHA-256 digests, so neither the length nor the content leaks through timing).
   */
  public Optional<Role> roleOf(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(token);
    boolean isOperate = false;
    boolean isRead = false;
    for (byte[] candidate : operate) {
      isOperate |= MessageDigest.isEqual(candidate, digest);
    }
    for (byte[] candidate : read) {
      isRead |= MessageDigest.isEqual(candidate, digest);
    }
    return isOperate ? Optional.of(Role.OPERATE) : isRead ? Optional.of(Role.READ) : Optional.empty();
  }

  @Override
  public String toString() {
    return "ApiTokens[read=" + read.size() + " tokens, operate=" + operate.size() + " tokens]";
  }

  private static List<byte[]> digests(String key, List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
        throw new ConfigurationException(key + ": token " + (i + 1) + " of " + tokens.size() + " must be at least "
            + MIN_LENGTH + " characters with no white space (for example from `openssl rand -hex 24`)");
      }
    }
    return tokens.stream().map(ApiTokens::sha256).toList();
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
