package dev.isolatepool.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random ids and digests for routes and tokens. Thread-safe. */
final class Secrets {
  /** 256 bits: well past the 128 the security model asks for. */
  static final int ID_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A fresh unguessable id: 256 random bits as 43 characters of unpadded base64url. */
  static String randomId() {
    byte[] bytes = new byte[ID_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The SHA-256 of a secret, base64url. Tables are keyed by it so that a hash lookup's timing
   * depends on the digest, not on how many leading characters of a guess were right.
   */
  static String digest(String secret) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Constant-time equality of two strings' UTF-8 bytes. */
  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }
}
