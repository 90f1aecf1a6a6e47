package cn.legalkoi.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The hashes, MACs and comparisons the platforms' signature schemes are built from. Text is always UTF-8. */
public final class Digests {
  private static final HexFormat HEX = HexFormat.of();

  private Digests() {
  }

  public static String sha1Hex(String text) {
    return HEX.formatHex(digest("SHA-1", utf8(text)));
  }

  public static byte[] sha256(byte[]... parts) {
    return digest("SHA-256", parts);
  }

  public static String sha256Hex(byte[]... parts) {
    return HEX.formatHex(sha256(parts));
  }

  public static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /**
   * Whether a signature received from outside equals the expected one, in time that does not depend on
   * where they differ. A missing signature (null) is simply not equal.
   */
  public static boolean sameText(String expected, String received) {
    return received != null && MessageDigest.isEqual(utf8(expected), utf8(received));
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Decodes UTF-8, refusing malformed input instead of replacing it with U+FFFD. */
  public static String strictUtf8(byte[] bytes, int offset, int length) {
    return cn.legalkoi.web.StrictUtf8.decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length))
        .orElseThrow(() -> new PlatformCryptoException("decrypted text is not valid UTF-8"));
  }

  private static byte[] digest(String algorithm, byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }
}
