package cn.legalkoi.chat.feishu;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Events as Feishu sends them, built independently of the code under test: AES-256-CBC under SHA-256(Encrypt Key)
 * with a random IV, PKCS#7, Base64(IV ‖ ciphertext); X-Lark-Signature as hex SHA-256 of timestamp, nonce, Encrypt
 * Key and the raw body.
 */
final class FeishuEvents {
  private static final SecureRandom RANDOM = new SecureRandom();

  private FeishuEvents() {
  }

  static JsonObject challenge(String token, String challenge) {
    return new JsonObject().put("challenge", challenge).put("token", token).put("type", "url_verification");
  }

  /** An im.message.receive_v1 text message; {@code mentions} are open_ids, keyed @_user_1, @_user_2 … in order. */
  static JsonObject text(String token, String eventId, String chatType, String chatId, String senderOpenId,
      String messageId, String text, String... mentions) {
    return message(token, eventId, chatType, chatId, senderOpenId, messageId, "text",
        new JsonObject().put("text", text).encode(), mentions);
  }

  static JsonObject message(String token, String eventId, String chatType, String chatId, String senderOpenId,
      String messageId, String messageType, String content, String... mentions) {
    JsonArray mentioned = new JsonArray();
    for (int i = 0; i < mentions.length; i++) {
      mentioned.add(new JsonObject().put("key", "@_user_" + (i + 1)).put("name", "someone")
          .put("tenant_key", "2ca1d211f64f6438")
          .put("id", new JsonObject().put("open_id", mentions[i]).put("union_id", "on_" + i).put("user_id", "")));
    }
    JsonObject message = new JsonObject().put("message_id", messageId).put("root_id", "").put("parent_id", "")
        .put("create_time", "1609073151345").put("chat_id", chatId).put("chat_type", chatType)
        .put("message_type", messageType).put("content", content);
    if (!mentioned.isEmpty()) {
      message.put("mentions", mentioned);
    }
    return new JsonObject().put("schema", "2.0")
        .put("header", new JsonObject().put("event_id", eventId).put("event_type", "im.message.receive_v1")
            .put("create_time", "1608725989000").put("token", token).put("app_id", FakeFeishu.APP_ID)
            .put("tenant_key", "2ca1d211f64f6438"))
        .put("event", new JsonObject()
            .put("sender", new JsonObject().put("sender_type", "user").put("tenant_key", "2ca1d211f64f6438")
                .put("sender_id", new JsonObject().put("open_id", senderOpenId).put("union_id", "on_x")
                    .put("user_id", "")))
            .put("message", message));
  }

  /** The body Feishu posts when an Encrypt Key is set. */
  static byte[] encrypted(JsonObject event, String encryptKey) {
    return new JsonObject().put("encrypt", encrypt(event.encode(), encryptKey)).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  static String encrypt(String plain, String encryptKey) {
    try {
      byte[] iv = new byte[16];
      RANDOM.nextBytes(iv);
      byte[] key = MessageDigest.getInstance("SHA-256").digest(encryptKey.getBytes(StandardCharsets.UTF_8));
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] body = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] data = Arrays.copyOf(iv, iv.length + body.length);
      System.arraycopy(body, 0, data, iv.length, body.length);
      return Base64.getEncoder().encodeToString(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String signature(String timestamp, String nonce, String encryptKey, byte[] body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update((timestamp + nonce + encryptKey).getBytes(StandardCharsets.UTF_8));
      sha256.update(body);
      return HexFormat.of().formatHex(sha256.digest());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
