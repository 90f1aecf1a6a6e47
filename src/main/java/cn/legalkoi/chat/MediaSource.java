package cn.legalkoi.chat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a channel's pictures, voice and files are fetched from while the platform still serves them. The reference
 * is what {@link InboundMessage#mediaReference()} recorded with the message. A fetch that the platform answers with
 * a refusal fails with {@link MediaGone} when the id is invalid or expired (asking again will not help), and with
 * any other exception when a later attempt may succeed.
 */
public interface MediaSource {
  /** The file's bytes as they arrive (paused until read), with what the platform says about them. */
  Future<FetchedMedia> fetch(JsonObject reference);

  /** How long after the message the platform keeps serving its media; empty when it names no limit. */
  default Optional<Duration> lifetime() {
    return Optional.empty();
  }
}
