package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.Digests;
import cn.legalkoi.chat.PlatformCryptoException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeCom (企业微信) callback encryption, the platform's "加解密方案" for self-built application callbacks.
 *
 * <p>{@code Encrypt} = Base64(AES-256-CBC(random(16) ‖ length(4, big-endian) ‖ message ‖ receiveid)) with
 * key = Base64(EncodingAESKey + "="), IV = the key's first 16 bytes and PKCS#7 padding to a multiple of 32 bytes;
 * for a self-built application the receiveid is the CorpID. {@code msg_signature} = SHA-1 hex of token, timestamp,
 * nonce and {@code Encrypt}, sorted and concatenated.
 *
 * <p>The ciphertext carries no MAC: the signature is what authenticates a callback, so anything that came over the
 * network goes through {@link #decryptVerified}, never {@link #decrypt} alone. The scheme has no timestamp window
 * either, which is why WeCom's 2014 sample still verifies; replays are caught by de-duplicating on MsgId.
 */
public final class WeComCrypto {
  private static final int KEY_CHARS = 43;
  private static final int RANDOM_BYTES = 16;
  private static final int LENGTH_BYTES = 4;
  private static final int PADDING_BLOCK = 32;
  private static final int AES_BLOCK = 16;
  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,20}");
  private static final Pattern NONCE = Pattern.compile("[0-9A-Za-z]{1,64}");
  private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final String token;
  private final SecretKeySpec key;
  private final IvParameterSpec iv;
  private final byte[] corpId;

  public WeComCrypto(String token, String encodingAesKey, String corpId) {
    if (encodingAesKey.length() != KEY_CHARS) {
      throw new IllegalArgumentException("a WeCom EncodingAESKey has " + KEY_CHARS + " characters");
    }
    byte[] keyBytes;
    try {
      keyBytes = Base64.getDecoder().decode(encodingAesKey + "=");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the WeCom EncodingAESKey is not Base64", e);
    }
    this.token = token;
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.iv = new IvParameterSpec(Arrays.copyOf(keyBytes, AES_BLOCK));
    this.corpId = Digests.utf8(corpId);
  }

  /** {@code msg_signature}: SHA-1 hex of the four strings, sorted and concatenated. */
  public static String signature(String token, String timestamp, String nonce, String encrypt) {
    String[] parts = {token, timestamp, nonce, encrypt};
    Arrays.sort(parts);
    return Digests.sha1Hex(String.join("", parts));
  }

  /**
   * Whether {@code msgSignature} signs this timestamp, nonce and ciphertext under the configured token; a missing
   * query parameter (null) simply fails.
   */
  public boolean verify(String msgSignature, String timestamp, String nonce, String encrypt) {
    if (timestamp == null || nonce == null || encrypt == null) {
      return false;
    }
    return Digests.sameText(signature(token, timestamp, nonce, encrypt), msgSignature);
  }

  /** Checks the signature, then decrypts: the way in for a callback's {@code echostr} or {@code Encrypt}. */
  public String decryptVerified(String msgSignature, String timestamp, String nonce, String encrypt) {
    if (!verify(msgSignature, timestamp, nonce, encrypt)) {
      throw new PlatformCryptoException("WeCom msg_signature does not match");
    }
    return decrypt(encrypt);
  }

  /** The message inside {@code encrypt}, after checking its padding, its length field and its receiveid. */
  public String decrypt(String encrypt) {
    if (encrypt == null) {
      throw new PlatformCryptoException("no WeCom ciphertext");
    }
    byte[] ciphertext;
    try {
      ciphertext = Base64.getDecoder().decode(encrypt);
    } catch (IllegalArgumentException e) {
      throw new PlatformCryptoException("WeCom ciphertext is not Base64", e);
    }
    if (ciphertext.length == 0 || ciphertext.length % AES_BLOCK != 0) {
      throw new PlatformCryptoException("WeCom ciphertext of " + ciphertext.length + " bytes is not whole AES blocks");
    }
    byte[] plain = aes(Cipher.DECRYPT_MODE, ciphertext);
    int end = Pkcs7.unpaddedLength(plain, PADDING_BLOCK);
    if (end < RANDOM_BYTES + LENGTH_BYTES) {
      throw new PlatformCryptoException("WeCom plaintext too short for its header");
    }
    int start = RANDOM_BYTES + LENGTH_BYTES;
    long length = ByteBuffer.wrap(plain, RANDOM_BYTES, LENGTH_BYTES).getInt() & 0xffffffffL;
    if (length > end - start) {
      throw new PlatformCryptoException("WeCom length field " + length + " exceeds the " + (end - start) + " bytes left");
    }
    int messageEnd = start + (int) length;
    if (!MessageDigest.isEqual(Arrays.copyOfRange(plain, messageEnd, end), corpId)) {
      throw new PlatformCryptoException("WeCom message is addressed to another receiver than the configured CorpID");
    }
    return Digests.strictUtf8(plain, start, (int) length);
  }

  /**
   * The {@code Encrypt} value for a passive reply. {@code random16} is the 16-byte prefix; take it from
   * {@link #randomPrefix} with a {@code SecureRandom}.
   */
  public String encrypt(String message, byte[] random16) {
    if (random16.length != RANDOM_BYTES) {
      throw new IllegalArgumentException("the random prefix has " + RANDOM_BYTES + " bytes");
    }
    byte[] body = Digests.utf8(message);
    ByteBuffer plain = ByteBuffer.allocate(RANDOM_BYTES + LENGTH_BYTES + body.length + corpId.length);
    plain.put(random16).putInt(body.length).put(body).put(corpId);
    return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, Pkcs7.pad(plain.array(), PADDING_BLOCK)));
  }

  /**
   * The XML body of an encrypted passive reply, signed with the configured token:
   * {@code <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>}, laid out as in WeCom's sample code.
   */
  public String encryptedReply(String message, byte[] random16, String timestamp, String nonce) {
    if (!TIMESTAMP.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()) {
      throw new IllegalArgumentException("timestamp must be digits and nonce letters or digits");
    }
    String encrypt = encrypt(message, random16);
    return "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt>"
        + "<MsgSignature><![CDATA[" + signature(token, timestamp, nonce, encrypt) + "]]></MsgSignature>"
        + "<TimeStamp>" + timestamp + "</TimeStamp>"
        + "<Nonce><![CDATA[" + nonce + "]]></Nonce></xml>";
  }

  /** Sixteen random letters and digits, the prefix WeCom's own sample code puts before each message. */
  public static byte[] randomPrefix(Random random) {
    byte[] prefix = new byte[RANDOM_BYTES];
    for (int i = 0; i < prefix.length; i++) {
      prefix[i] = (byte) ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length()));
    }
    return prefix;
  }

  private byte[] aes(int mode, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
      cipher.init(mode, key, iv);
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-CBC is part of every Java 17 runtime", e);
    }
  }
}
