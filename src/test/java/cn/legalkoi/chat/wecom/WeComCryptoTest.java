package cn.legalkoi.chat.wecom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.chat.PlatformCryptoException;
import cn.legalkoi.chat.SafeXml;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checked against the official sample of WeCom's 加解密方案 document (PLATFORMS.md). */
class WeComCryptoTest {
  static final String TOKEN = "QDG6eK";
  static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  static final String CORP_ID = "wx5823bf96d3bd56c7";

  static final String VERIFY_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
  static final String VERIFY_TIMESTAMP = "1409659589";
  static final String VERIFY_NONCE = "263014780";
  static final String ECHOSTR =
      "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";

  static final String MESSAGE_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6";
  static final String MESSAGE_TIMESTAMP = "1409659813";
  static final String MESSAGE_NONCE = "1372623149";
  static final String MESSAGE_ENCRYPT = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3"
      + "QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHz"
      + "M6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3L"
      + "AVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl"
      + "/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

  final WeComCrypto crypto = new WeComCrypto(TOKEN, AES_KEY, CORP_ID);
  final SafeXml xml = new SafeXml(SafeXml.DEFAULT_MAX_BYTES);
  final byte[] random16 = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  @DisplayName("the official URL-verification sample verifies and its echostr decrypts to 1616140317555161061")
  void verificationSample() {
    assertEquals(VERIFY_SIGNATURE, WeComCrypto.signature(TOKEN, VERIFY_TIMESTAMP, VERIFY_NONCE, ECHOSTR));
    assertTrue(crypto.verify(VERIFY_SIGNATURE, VERIFY_TIMESTAMP, VERIFY_NONCE, ECHOSTR));
    assertEquals("1616140317555161061",
        crypto.decryptVerified(VERIFY_SIGNATURE, VERIFY_TIMESTAMP, VERIFY_NONCE, ECHOSTR));
  }

  @Test
  @DisplayName("the official message sample verifies and decrypts to a text message 'hello' for agent 218")
  void messageSample() {
    assertEquals(MESSAGE_SIGNATURE, WeComCrypto.signature(TOKEN, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    String plain = crypto.decryptVerified(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT);

    Map<String, String> message = xml.parseFlat(plain);
    assertEquals("wx5823bf96d3bd56c7", message.get("ToUserName"));
    assertEquals("mycreate", message.get("FromUserName"));
    assertEquals("text", message.get("MsgType"));
    assertEquals("hello", message.get("Content"));
    assertEquals("4561255354251345929", message.get("MsgId"));
    assertEquals("218", message.get("AgentID"));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 11, 12, 13, 43, 44, 45, 100, 2048})
  @DisplayName("a reply encrypts and decrypts back, whatever its length relative to the 32-byte padding block")
  void roundTrip(int utf8Bytes) {
    String message = "劳".repeat(utf8Bytes / 3) + "x".repeat(utf8Bytes % 3);
    assertEquals(utf8Bytes, message.getBytes(StandardCharsets.UTF_8).length);
    String encrypt = crypto.encrypt(message, random16);
    assertEquals(0, Base64.getDecoder().decode(encrypt).length % 32);
    assertEquals(message, crypto.decrypt(encrypt));
  }

  @Test
  @DisplayName("an encrypted passive reply is well-formed XML whose signature verifies and whose Encrypt decrypts")
  void passiveReply() {
    String reply = crypto.encryptedReply("您好，问题已收到。", random16, "1409659813", "1372623149");
    Map<String, String> fields = xml.parseFlat(reply);
    assertEquals(Arrays.asList("Encrypt", "MsgSignature", "TimeStamp", "Nonce"), Arrays.asList(fields.keySet().toArray()));
    assertEquals("1409659813", fields.get("TimeStamp"));
    assertEquals("1372623149", fields.get("Nonce"));
    assertEquals("您好，问题已收到。", crypto.decryptVerified(fields.get("MsgSignature"), fields.get("TimeStamp"),
        fields.get("Nonce"), fields.get("Encrypt")));
  }

  @Test
  @DisplayName("a reply's timestamp and nonce cannot break out of the XML")
  void replyFieldsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> crypto.encryptedReply("x", random16, "1409659813", "a]]><x>"));
    assertThrows(IllegalArgumentException.class, () -> crypto.encryptedReply("x", random16, "14096</TimeStamp>", "1"));
  }

  @Test
  @DisplayName("the random prefix is sixteen letters and digits, as in WeCom's sample code")
  void randomPrefix() {
    byte[] prefix = WeComCrypto.randomPrefix(new Random(7));
    assertEquals(16, prefix.length);
    assertTrue(new String(prefix, StandardCharsets.US_ASCII).matches("[0-9A-Za-z]{16}"));
  }

  @Test
  @DisplayName("a changed or missing signature, timestamp, nonce or ciphertext fails verification and nothing is decrypted")
  void changedSignatureIsRejected() {
    String changed = "6" + MESSAGE_SIGNATURE.substring(1);
    assertFalse(crypto.verify(changed, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(null, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, null, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, null, MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, null));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, "1409659814", MESSAGE_NONCE, MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, "1372623148", MESSAGE_ENCRYPT));
    assertFalse(crypto.verify(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, ECHOSTR));
    assertFalse(new WeComCrypto("otherToken", AES_KEY, CORP_ID)
        .verify(MESSAGE_SIGNATURE, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
    assertThrows(PlatformCryptoException.class,
        () -> crypto.decryptVerified(changed, MESSAGE_TIMESTAMP, MESSAGE_NONCE, MESSAGE_ENCRYPT));
  }

  @Test
  @DisplayName("a message for another CorpID is rejected")
  void wrongCorpIdIsRejected() {
    WeComCrypto otherCorp = new WeComCrypto(TOKEN, AES_KEY, "wwf00dfeedbeef0001");
    assertThrows(PlatformCryptoException.class, () -> otherCorp.decrypt(MESSAGE_ENCRYPT));
    assertThrows(PlatformCryptoException.class, () -> otherCorp.decrypt(ECHOSTR));
    WeComCrypto prefixOfCorp = new WeComCrypto(TOKEN, AES_KEY, "wx5823bf96d3bd56c");
    assertThrows(PlatformCryptoException.class, () -> prefixOfCorp.decrypt(ECHOSTR));
  }

  @Test
  @DisplayName("every truncation of the sample ciphertext is rejected with PlatformCryptoException, never an index error")
  void truncatedCiphertextIsRejected() {
    byte[] whole = Base64.getDecoder().decode(MESSAGE_ENCRYPT);
    for (int length = 0; length < whole.length; length++) {
      String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(whole, length));
      assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(truncated), "length " + length);
    }
    for (int chars = 0; chars < MESSAGE_ENCRYPT.length(); chars += 7) {
      String cut = MESSAGE_ENCRYPT.substring(0, chars);
      assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(cut), "chars " + chars);
    }
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt("not base64 at all!"));
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(null));
  }

  @ParameterizedTest(name = "last bytes {0}")
  @ValueSource(strings = {"00", "21", "ff", "0303ff03", "20"})
  @DisplayName("bad PKCS#7 padding is rejected")
  void badPaddingIsRejected(String trailingHex) {
    byte[] trailing = HexFormat.of().parseHex(trailingHex);
    byte[] plain = plaintext(random16, "hello".getBytes(StandardCharsets.UTF_8), CORP_ID);
    byte[] block = Arrays.copyOf(plain, 64);
    System.arraycopy(trailing, 0, block, 64 - trailing.length, trailing.length);
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(rawEncrypt(block)));
  }

  @ParameterizedTest(name = "length field {0}")
  @ValueSource(ints = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 24, 1000})
  @DisplayName("a length field that points past the plaintext is rejected")
  void lyingLengthIsRejected(int lengthField) {
    byte[] plain = plaintext(random16, "hello".getBytes(StandardCharsets.UTF_8), CORP_ID);
    ByteBuffer.wrap(plain).putInt(16, lengthField);
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(rawEncrypt(Pkcs7.pad(plain, 32))));
  }

  @Test
  @DisplayName("a plaintext shorter than its random prefix and length field is rejected")
  void shortPlaintextIsRejected() {
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(rawEncrypt(Pkcs7.pad(new byte[19], 32))));
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(rawEncrypt(Pkcs7.pad(new byte[0], 32))));
  }

  @Test
  @DisplayName("a message that is not UTF-8 is rejected rather than decoded into replacement characters")
  void nonUtf8IsRejected() {
    byte[] plain = plaintext(random16, new byte[] {(byte) 0xc3, (byte) 0x28}, CORP_ID);
    assertThrows(PlatformCryptoException.class, () -> crypto.decrypt(rawEncrypt(Pkcs7.pad(plain, 32))));
  }

  @Test
  @DisplayName("an EncodingAESKey that is not 43 Base64 characters is a configuration error")
  void badKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new WeComCrypto(TOKEN, AES_KEY + "A", CORP_ID));
    assertThrows(IllegalArgumentException.class, () -> new WeComCrypto(TOKEN, "*".repeat(43), CORP_ID));
  }

  private static byte[] plaintext(byte[] random16, byte[] message, String receiveId) {
    byte[] receiver = receiveId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(16 + 4 + message.length + receiver.length)
        .put(random16).putInt(message.length).put(message).put(receiver).array();
  }

  /** AES-256-CBC with the sample key and no padding of its own, to build deliberately broken plaintexts. */
  private static String rawEncrypt(byte[] plain) {
    try {
      byte[] key = Base64.getDecoder().decode(AES_KEY + "=");
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
      return Base64.getEncoder().encodeToString(cipher.doFinal(plain));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
