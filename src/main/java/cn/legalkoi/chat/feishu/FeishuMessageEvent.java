package cn.legalkoi.chat.feishu;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.InboundMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code im.message.receive_v1} event (schema 2.0) as the bot reads it. Example, a group message that mentions
 * the bot:
 *
 * <pre>
 * {"header": {"event_id": "5e37…", "event_type": "im.message.receive_v1", "token": "…"},
 *  "event": {"sender": {"sender_id": {"open_id": "ou_a1"}, "sender_type": "user"},
 *            "message": {"message_id": "om_5f", "chat_id": "oc_9c", "chat_type": "group", "message_type": "text",
 *                        "content": "{\"text\":\"@_user_1 试用期可以不交社保吗\"}",
 *                        "mentions": [{"key": "@_user_1", "id": {"open_id": "ou_bot"}, "name": "法治锦鲤"}]}}}
 * </pre>
 *
 * reads as the text {@code 试用期可以不交社保吗} from {@code ou_a1}, in the conversation {@code oc_9c}, mentioning
 * {@code ou_bot}.
 */
record FeishuMessageEvent(String eventId, String messageId, String chatId, String chatType, String senderOpenId,
    String senderType, String messageType, String content, List<Mention> mentions) {
  static final String EVENT_TYPE = "im.message.receive_v1";
  /** Mention placeholders in the text: {@code @_user_1}, {@code @_all}. */
  private static final Pattern MENTION_KEY = Pattern.compile("@_user_\\d+|@_all");

  /** One mention: its placeholder in the text and whom it names (empty open_id for @all). */
  record Mention(String key, String openId) {
  }

  /** Reads the event; IllegalArgumentException names the first field that is missing or of the wrong type. */
  static FeishuMessageEvent parse(JsonObject envelope) {
    JsonObject header = object(envelope, "header");
    JsonObject event = object(envelope, "event");
    JsonObject sender = object(event, "sender");
    JsonObject message = object(event, "message");
    List<Mention> mentions = new ArrayList<>();
    Object listed = message.getValue("mentions");
    if (listed instanceof JsonArray) {
      for (Object m : (JsonArray) listed) {
        if (m instanceof JsonObject) {
          Object id = ((JsonObject) m).getValue("id");
          String openId = id instanceof JsonObject ? optional((JsonObject) id, "open_id") : "";
          mentions.add(new Mention(optional((JsonObject) m, "key"), openId));
        }
      }
    }
    return new FeishuMessageEvent(string(header, "event_id"), string(message, "message_id"),
        string(message, "chat_id"), string(message, "chat_type"), string(object(sender, "sender_id"), "open_id"),
        optional(sender, "sender_type"), string(message, "message_type"), string(message, "content"),
        List.copyOf(mentions));
  }

  boolean isGroup() {
    return FeishuTarget.GROUP.equals(chatType);
  }

  boolean isOneToOne() {
    return FeishuTarget.P2P.equals(chatType);
  }

  /** Sent by a person, not by another bot or app (which could start two bots answering each other). */
  boolean isFromPerson() {
    return senderType.isEmpty() || "user".equals(senderType);
  }

  boolean mentions(String openId) {
    return mentions.stream().anyMatch(m -> m.openId().equals(openId));
  }

  /**
   * The message for the conversation core: the event id keeps a redelivery from being answered twice, and a group
   * conversation is the sender's own in that group.
   */
  InboundMessage toInbound() {
    JsonObject body = contentObject();
    String conversation = isGroup() ? chatId : senderOpenId;
    JsonObject target = FeishuTarget.of(messageId, chatType, senderOpenId);
    if (POST.equals(messageType)) {
      // rich text (a title, lines of text, links, @-mentions, pictures) is read for its words
      String words = postText(body);
      if (!words.isEmpty()) {
        return new InboundMessage(Channel.FEISHU, eventId, senderOpenId, conversation, InboundMessage.TEXT, words,
            null, target);
      }
    }
    boolean text = InboundMessage.TEXT.equals(messageType);
    return new InboundMessage(Channel.FEISHU, eventId, senderOpenId, conversation, messageType,
        text ? withoutMentions(string(body, "text")) : "", text ? null : mediaKey(body), target);
  }

  /**
   * The words of a rich-text message: its title and each line's {@code text} and {@code a} elements, lines joined
   * by a space; @-mentions, pictures and other elements are left out. Empty when it has no words.
   */
  static String postText(JsonObject body) {
    // a post may come wrapped in its language ({"zh_cn": {...}}) or bare
    JsonObject post = body.containsKey("content") ? body : firstObject(body);
    StringBuilder out = new StringBuilder(optional(post, "title").strip());
    Object lines = post.getValue("content");
    if (lines instanceof JsonArray) {
      for (Object line : (JsonArray) lines) {
        if (!(line instanceof JsonArray)) {
          continue;
        }
        StringBuilder words = new StringBuilder();
        for (Object element : (JsonArray) line) {
          if (element instanceof JsonObject e && ("text".equals(e.getValue("tag")) || "a".equals(e.getValue("tag")))) {
            words.append(optional(e, "text"));
          }
        }
        String w = words.toString().strip();
        if (!w.isEmpty()) {
          out.append(out.length() == 0 ? "" : " ").append(w);
        }
      }
    }
    return out.toString().strip();
  }

  private static JsonObject firstObject(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (body.getValue(key) instanceof JsonObject o) {
        return o;
      }
    }
    return new JsonObject();
  }

  private static final String POST = "post";

  private String withoutMentions(String text) {
    String out = text;
    for (Mention m : mentions) {
      if (!m.key().isEmpty()) {
        out = out.replace(m.key(), "");
      }
    }
    return MENTION_KEY.matcher(out).replaceAll("").replaceAll("[ \\t\\u3000]{2,}", " ").strip();
  }

  /** A picture's image_key or a file's, voice's or video's file_key, kept for the adviser. */
  private static String mediaKey(JsonObject body) {
    String image = optional(body, "image_key");
    return image.isEmpty() ? emptyToNull(optional(body, "file_key")) : image;
  }

  /** The message content, itself JSON inside a string; an unreadable one is an error for text only. */
  private JsonObject contentObject() {
    try {
      Object parsed = Json.decodeValue(content);
      if (parsed instanceof JsonObject) {
        return (JsonObject) parsed;
      }
    } catch (DecodeException e) {
      // below
    }
    if (InboundMessage.TEXT.equals(messageType)) {
      throw new IllegalArgumentException("message.content is not a JSON object");
    }
    return new JsonObject();
  }

  private static JsonObject object(JsonObject parent, String key) {
    Object value = parent.getValue(key);
    if (!(value instanceof JsonObject)) {
      throw new IllegalArgumentException("no object " + key);
    }
    return (JsonObject) value;
  }

  private static String string(JsonObject parent, String key) {
    Object value = parent.getValue(key);
    if (!(value instanceof String) || ((String) value).isEmpty()) {
      throw new IllegalArgumentException("no string " + key);
    }
    return (String) value;
  }

  private static String optional(JsonObject parent, String key) {
    Object value = parent.getValue(key);
    return value instanceof String ? (String) value : "";
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
