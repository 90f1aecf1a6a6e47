package cn.legalkoi.chat.feishu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.PlatformCryptoException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The decryption sample is Feishu's own (PLATFORMS.md); the signature vector was computed with Python's hashlib. */
class FeishuCryptoTest {
  static final String ENCRYPT_KEY = "test key";
  static final String SAMPLE = "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=";
  static final byte[] BODY = ("{\"encrypt\":\"" + SAMPLE + "\"}").getBytes(StandardCharsets.UTF_8);
  static final String TIMESTAMP = "1600000000";
  static final String NONCE = "a1b2c3";
  static final String BODY_SIGNATURE = "2f0a62e4bd5564e0cad1743ec0e84f64815a25f309393c414e0454d76b596e2d";

  final FeishuCrypto crypto = new FeishuCrypto(ENCRYPT_KEY);

  @Test
  @DisplayName("Feishu's sample with Encrypt Key 'test key' decrypts to 'hello world'")
  void sample() {
    assertEquals("hello world", crypto.decrypt(SAMPLE));
  }

  @Test
  @DisplayName("Chinese JSON survives a round trip, decoded as UTF-8 whatever the default charset")
  void roundTrip() {
    String json = "{\"event\":{\"message\":{\"content\":\"{\\\"text\\\":\\\"试用期可以不交社保吗？\\\"}\"}}}";
    assertEquals(json, crypto.decrypt(encrypt(json, ENCRYPT_KEY, new byte[16])));
  }

  @Test
  @DisplayName("the sample under a wrong Encrypt Key is rejected")
  void wrongKey() {
    assertThrows(PlatformCryptoException.class, () -> new FeishuCrypto("test kez").decrypt(SAMPLE));
    assertThrows(PlatformCryptoException.class, () -> new FeishuCrypto("").decrypt(SAMPLE));
  }

  @Test
  @DisplayName("every truncation of the sample is rejected with PlatformCryptoException")
  void truncatedInput() {
    byte[] whole = Base64.getDecoder().decode(SAMPLE);
    for (int length = 0; length < whole.length; length++) {
      String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(whole, length));
      assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(truncated), "length " + length);
    }
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(SAMPLE.substring(0, 30)));
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt("{not base64}"));
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(null));
  }

  @Test
  @DisplayName("the signature is hex SHA-256 of timestamp, nonce, Encrypt Key and the raw body, and verifies")
  void signature() {
    assertEquals(BODY_SIGNATURE, FeishuCrypto.signature(TIMESTAMP, NONCE, ENCRYPT_KEY, BODY));
    assertTrue(crypto.verify(TIMESTAMP, NONCE, BODY, BODY_SIGNATURE));
  }

  @Test
  @DisplayName("a tampered signature, body, timestamp or nonce fails verification")
  void tamperedSignature() {
    assertFalse(crypto.verify(TIMESTAMP, NONCE, BODY, "3" + BODY_SIGNATURE.substring(1)));
    assertFalse(crypto.verify(TIMESTAMP, NONCE, BODY, null));
    assertFalse(crypto.verify(TIMESTAMP, NONCE, Arrays.copyOf(BODY, BODY.length - 1), BODY_SIGNATURE));
    assertFalse(crypto.verify("1600000001", NONCE, BODY, BODY_SIGNATURE));
    assertFalse(crypto.verify(TIMESTAMP, "a1b2c4", BODY, BODY_SIGNATURE));
    assertFalse(crypto.verify(null, NONCE, BODY, BODY_SIGNATURE));
    assertFalse(new FeishuCrypto("other key").verify(TIMESTAMP, NONCE, BODY, BODY_SIGNATURE));
  }

  @Test
  @DisplayName("a flipped IV byte still decrypts, to other text: only the signature protects the body")
  void decryptionAloneDoesNotAuthenticate() {
    byte[] data = Base64.getDecoder().decode(SAMPLE);
    data[0] ^= 1;
    String tampered = Base64.getEncoder().encodeToString(data);
    assertNotEquals("hello world", crypto.decrypt(tampered));
    byte[] tamperedBody = ("{\"encrypt\":\"" + tampered + "\"}").getBytes(StandardCharsets.UTF_8);
    assertFalse(crypto.verify(TIMESTAMP, NONCE, tamperedBody, BODY_SIGNATURE));
  }

  private static String encrypt(String plain, String encryptKey, byte[] iv) {
    try {
      byte[] key = MessageDigest.getInstance("SHA-256").digest(encryptKey.getBytes(StandardCharsets.UTF_8));
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] body = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] data = Arrays.copyOf(iv, iv.length + body.length);
      System.arraycopy(body, 0, data, iv.length, body.length);
      return Base64.getEncoder().encodeToString(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
