package cn.legalkoi.chat;

/**
 * A platform callback that fails its cryptographic checks: wrong signature, undecodable or tampered
 * ciphertext, bad padding, wrong receiver. The edge answers it with a client error and acts on nothing.
 */
public final class PlatformCryptoException extends RuntimeException {
  public PlatformCryptoException(String message) {
    super(message);
  }

  public PlatformCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
