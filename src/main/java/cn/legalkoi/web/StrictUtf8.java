package cn.legalkoi.web;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Request bodies as text, refusing bytes that are not UTF-8 rather than turning them into U+FFFD: a body a client
 * or platform garbled gets a 400, and nothing half-decoded is stored or answered.
 */
public final class StrictUtf8 {
  private StrictUtf8() {
  }

  /** The text, or empty when the bytes are not well-formed UTF-8. */
  public static Optional<String> decode(byte[] bytes) {
    try {
      return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  public static Optional<String> decode(Buffer buffer) {
    return decode(buffer == null ? new byte[0] : buffer.getBytes());
  }
}
