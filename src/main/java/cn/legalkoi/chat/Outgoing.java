package cn.legalkoi.chat;

import io.vertx.core.json.JsonObject;

/**
 * A message waiting in the outbox for its channel to carry it.
 *
 * @param target how to reach the owner, as the inbound message gave it
 * @param text already fitted to the channel's limit
 * @param createdAt when it was queued, epoch milliseconds
 */
public record Outgoing(long id, long conversationId, Channel channel, String userId, JsonObject target, String text,
    int attempts, long createdAt) {
}
