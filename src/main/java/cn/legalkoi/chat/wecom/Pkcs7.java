package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.PlatformCryptoException;
import java.util.Arrays;

/** PKCS#7 padding to an arbitrary block size; WeCom pads to 32 bytes, not AES's 16. */
final class Pkcs7 {
  private static final String BAD_PADDING = "bad PKCS#7 padding: wrong EncodingAESKey or damaged ciphertext";

  private Pkcs7() {
  }

  /** Appends 1 to {@code block} bytes, each holding the count, so the length becomes a multiple of {@code block}. */
  static byte[] pad(byte[] data, int block) {
    int count = block - data.length % block;
    byte[] padded = Arrays.copyOf(data, data.length + count);
    Arrays.fill(padded, data.length, padded.length, (byte) count);
    return padded;
  }

  /** The length of {@code padded} without its padding; the padding must be well formed. */
  static int unpaddedLength(byte[] padded, int block) {
    if (padded.length == 0) {
      throw new PlatformCryptoException("no padding in an empty plaintext");
    }
    int count = padded[padded.length - 1] & 0xff;
    if (count < 1 || count > block || count > padded.length) {
      throw new PlatformCryptoException(BAD_PADDING);
    }
    int mismatch = 0;
    for (int i = padded.length - count; i < padded.length; i++) {
      mismatch |= (padded[i] & 0xff) ^ count;
    }
    if (mismatch != 0) {
      throw new PlatformCryptoException(BAD_PADDING);
    }
    return padded.length - count;
  }
}
