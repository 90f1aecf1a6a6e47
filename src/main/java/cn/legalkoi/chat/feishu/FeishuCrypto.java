package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.Digests;
import cn.legalkoi.chat.PlatformCryptoException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Feishu (飞书) event subscription v2 in HTTP mode, with an Encrypt Key configured.
 *
 * <p>The body is {@code {"encrypt": Base64(IV(16) ‖ AES-256-CBC(json))}} with key = SHA-256(Encrypt Key) and PKCS#7
 * padding. {@code X-Lark-Signature} = hex SHA-256 of {@code X-Lark-Request-Timestamp} + {@code X-Lark-Request-Nonce}
 * + Encrypt Key, followed by the raw body bytes. The ciphertext carries no MAC, so a request is authenticated by its
 * signature, checked on the raw bytes before anything is decrypted or parsed.
 *
 * <p>Feishu's "接收事件" document exempts the URL-verification request (the {@code challenge}) from signature checking;
 * that request is authenticated by decrypting it and comparing its token with the Verification Token.
 */
public final class FeishuCrypto {
  private static final int IV_BYTES = 16;

  private final String encryptKey;
  private final SecretKeySpec key;

  public FeishuCrypto(String encryptKey) {
    this.encryptKey = encryptKey;
    this.key = new SecretKeySpec(Digests.sha256(Digests.utf8(encryptKey)), "AES");
  }

  /** Hex SHA-256 of timestamp + nonce + encryptKey (UTF-8), then the raw body bytes. */
  public static String signature(String timestamp, String nonce, String encryptKey, byte[] rawBody) {
    return Digests.sha256Hex(Digests.utf8(timestamp + nonce + encryptKey), rawBody);
  }

  /** Whether {@code signature} (the X-Lark-Signature header) signs this request under the configured Encrypt Key. */
  public boolean verify(String timestamp, String nonce, byte[] rawBody, String signature) {
    if (timestamp == null || nonce == null) {
      return false;
    }
    return Digests.sameText(signature(timestamp, nonce, encryptKey, rawBody), signature);
  }

  /** The JSON text inside the body's {@code encrypt} field. */
  public String decrypt(String encrypt) {
    if (encrypt == null) {
      throw new PlatformCryptoException("no Feishu ciphertext");
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(encrypt);
    } catch (IllegalArgumentException e) {
      throw new PlatformCryptoException("Feishu ciphertext is not Base64", e);
    }
    if (data.length < 2 * IV_BYTES || data.length % IV_BYTES != 0) {
      throw new PlatformCryptoException("Feishu ciphertext of " + data.length + " bytes is not an IV and whole AES blocks");
    }
    byte[] plain;
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(data, 0, IV_BYTES));
      plain = cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES);
    } catch (BadPaddingException e) {
      throw new PlatformCryptoException("Feishu ciphertext has bad padding: wrong Encrypt Key or tampered data", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC is part of every Java 17 runtime", e);
    }
    return Digests.strictUtf8(plain, 0, plain.length);
  }
}
