package cn.legalkoi.chat.wecom;

import cn.legalkoi.chat.Channel;
import cn.legalkoi.chat.Digests;
import cn.legalkoi.chat.InboundMessage;
import cn.legalkoi.chat.PlatformCryptoException;
import cn.legalkoi.chat.SafeXml;
import cn.legalkoi.chat.XmlRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads WeCom callbacks in the order the 加解密方案 allows: the outer XML is parsed by {@link SafeXml}, the
 * signature over its {@code Encrypt} value is checked before anything is decrypted, and only an authentic message
 * is decrypted and its inner XML read. There is no timestamp window (WeCom's 2014 sample still verifies): a replayed
 * callback reads as the same MsgId, which the conversation core records once.
 *
 * <p>Pure, but the first XML parse and cipher of a JVM load many classes, so callers run it on a worker.
 */
final class WeComCallbacks {
  /** Comfortably above a WeCom callback, which carries one encrypted message of a few KB. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final String KF_EVENT = "kf_msg_or_event";
  private static final Pattern MESSAGE_TYPE = Pattern.compile("[a-z_]{1,32}");
  private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_]{0,64}");
  private static final Pattern MSG_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
  private static final Pattern USER_ID = Pattern.compile("\\S{1,64}");
  private static final Pattern KF_ID = Pattern.compile("[0-9A-Za-z_@.-]{1,128}");
  private static final Pattern KF_TOKEN = Pattern.compile("[0-9A-Za-z_=+/-]{1,256}");

  /** What a callback is, once it has been read and authenticated. */
  sealed interface Callback permits Message, KfNotice, Acknowledged {
  }

  /** Something an owner sent, for the conversation. */
  record Message(InboundMessage message) implements Callback {
  }

  /** 微信客服 has messages for the account {@code openKfId}: fetch them with {@code kf/sync_msg} and this token. */
  record KfNotice(String openKfId, String token) implements Callback {
  }

  /** Something to acknowledge and not answer: an event, or an empty message. */
  record Acknowledged(String what) implements Callback {
  }

  /** A callback that is answered with a client error: its status, the error code, and why (safe to log). */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String reason) {
      super(reason);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final WeComCrypto crypto;
  private final SafeXml xml = new SafeXml(MAX_BODY_BYTES);

  WeComCallbacks(WeComCrypto crypto) {
    this.crypto = crypto;
  }

  /** URL verification: the decrypted {@code echostr}, which WeCom expects back as the body. */
  String echo(String signature, String timestamp, String nonce, String echostr) {
    return open(signature, timestamp, nonce, echostr);
  }

  Callback read(String signature, String timestamp, String nonce, byte[] body) {
    String encrypt = parse(body, "outer").get("Encrypt");
    if (encrypt == null || encrypt.isEmpty()) {
      throw new Refused(400, "the callback has no Encrypt element");
    }
    return interpret(parse(Digests.utf8(open(signature, timestamp, nonce, encrypt)), "inner"));
  }

  private String open(String signature, String timestamp, String nonce, String encrypt) {
    if (!crypto.verify(signature, timestamp, nonce, encrypt)) {
      throw new Refused(401, "msg_signature is missing or does not match");
    }
    try {
      return crypto.decrypt(encrypt);
    } catch (PlatformCryptoException e) {
      throw new Refused(400, e.getMessage());
    }
  }

  private Map<String, String> parse(byte[] body, String which) {
    try {
      return xml.parseFlat(body);
    } catch (XmlRejectedException e) {
      throw new Refused(body.length > MAX_BODY_BYTES ? 413 : 400, "the " + which + " XML was refused: "
          + e.getMessage());
    }
  }

  private static Callback kfNotice(Map<String, String> fields) {
    String openKfId = fields.getOrDefault("OpenKfId", "");
    String token = fields.getOrDefault("Token", "");
    if (!KF_ID.matcher(openKfId).matches() || !KF_TOKEN.matcher(token).matches()) {
      throw new Refused(400, "a kf_msg_or_event without a valid OpenKfId or Token");
    }
    return new KfNotice(openKfId, token);
  }

  private static Callback interpret(Map<String, String> fields) {
    String type = fields.getOrDefault("MsgType", "");
    if ("event".equals(type)) {
      String event = fields.getOrDefault("Event", "");
      if (!EVENT.matcher(event).matches()) {
        throw new Refused(400, "an event with a malformed Event name");
      }
      if (KF_EVENT.equals(event)) {
        return kfNotice(fields);
      }
      return new Acknowledged("event '" + event + "'");
    }
    String from = fields.get("FromUserName");
    String msgId = fields.get("MsgId");
    if (!MESSAGE_TYPE.matcher(type).matches() || from == null || !USER_ID.matcher(from).matches() || msgId == null
        || !MSG_ID.matcher(msgId).matches()) {
      throw new Refused(400, "a message without a valid MsgType, FromUserName or MsgId");
    }
    boolean text = InboundMessage.TEXT.equals(type);
    String content = text ? fields.getOrDefault("Content", "").strip() : "";
    if (text && content.isEmpty()) {
      return new Acknowledged("an empty text message");
    }
    String mediaId = text ? null : fields.get("MediaId");
    return new Message(new InboundMessage(Channel.WECOM, msgId, from, from, type, content,
        mediaId == null || mediaId.isEmpty() ? null : mediaId, new JsonObject().put("toUser", from)));
  }
}
