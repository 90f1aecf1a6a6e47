package cn.legalkoi.chat;

import io.vertx.core.json.JsonObject;

/**
 * What the conversation sends back to one message, fitted to its channel.
 *
 * @param kind the answer kind (answer, clarify, …) or a notice (unreadable, slow_down, …)
 * @param meta what a page needs beyond the text, e.g. the numbered choices of a clarify reply
 */
record Reply(String kind, String text, JsonObject meta) {
}
