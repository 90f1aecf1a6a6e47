package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners' pictures and files on an open ticket, through the WeCom app and a fake WeCom on loopback: fetched with
 * {@code media/get}, kept under {@code dataDir/files/} only when they are what they claim and within the limit, and
 * offered to the ticket's advisers as downloads.
 */
class WeComMediaTicketTest {
  static final String OWNER = "zhangsan";
  static final int MAX_FILE_BYTES = 64 * 1024;

  @TempDir
  Path dir;
  Vertx vertx;
  FakeWeCom wecom;
  TestService service;
  final WeComCrypto asWeCom = new WeComCrypto(WeComChannelTest.TOKEN, WeComChannelTest.AES_KEY,
      WeComChannelTest.CORP_ID);
  final Random random = new Random(3);
  int messages;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Fixtures.copyKnowledgeBase(dir);
    wecom = FakeWeCom.start(vertx, WeComChannelTest.CORP_ID, WeComChannelTest.SECRET);
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("tickets", new JsonObject().put("maxFileBytes", MAX_FILE_BYTES))
        .put("channels", new JsonObject().put("wecom", new JsonObject().put("token", WeComChannelTest.TOKEN)
            .put("encodingAesKey", WeComChannelTest.AES_KEY).put("corpId", WeComChannelTest.CORP_ID)
            .put("agentId", WeComChannelTest.AGENT_ID).put("secret", WeComChannelTest.SECRET)
            .put("apiBase", wecom.apiBase())
            // these tests follow the replies WeCom's API receives: the reply is sent, not given in the response
            .put("passiveReplyMillis", 0)));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    wecom.close();
    await(vertx.close());
  }

  /** The owner's message reaches the webhook, signed and encrypted as WeCom does it. */
  private void ownerSends(String inner) throws Exception {
    messages++;
    String message = "<xml><ToUserName><![CDATA[" + WeComChannelTest.CORP_ID + "]]></ToUserName><FromUserName>"
        + "<![CDATA[" + OWNER + "]]></FromUserName><CreateTime>1700000000</CreateTime>" + inner + "<MsgId>"
        + (7400000000000000000L + messages) + "</MsgId><AgentID>" + WeComChannelTest.AGENT_ID + "</AgentID></xml>";
    String encrypt = asWeCom.encrypt(message, WeComCrypto.randomPrefix(random));
    String nonce = "media" + messages;
    var request = service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml")
        .addQueryParam("msg_signature", WeComCrypto.signature(WeComChannelTest.TOKEN, "1700000000", nonce, encrypt))
        .addQueryParam("timestamp", "1700000000").addQueryParam("nonce", nonce);
    HttpResponse<Buffer> r = await(request.sendBuffer(Buffer.buffer("<xml><ToUserName><![CDATA["
        + WeComChannelTest.CORP_ID + "]]></ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt><AgentID>"
        + "<![CDATA[" + WeComChannelTest.AGENT_ID + "]]></AgentID></xml>")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  private void ownerSays(String text) throws Exception {
    ownerSends("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + text + "]]></Content>");
  }

  private void ownerSendsMedia(String type, String mediaId) throws Exception {
    ownerSends("<MsgType><![CDATA[" + type + "]]></MsgType><PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl>"
        + "<MediaId><![CDATA[" + mediaId + "]]></MediaId>");
  }

  private List<String> ownerReceived() {
    return wecom.deliveredTo(OWNER).stream().map(s -> s.body().getJsonObject("text").getString("content")).toList();
  }

  private HttpResponse<Buffer> get(String path, String token) throws Exception {
    return await(service.client.get(path).putHeader("Authorization", "Bearer " + token).send());
  }

  private String adviser(String name, String department) throws Exception {
    HttpResponse<Buffer> created = await(service.client.post("/api/v1/admin/users")
        .putHeader("Authorization", "Bearer " + service.adminToken()).sendJsonObject(new JsonObject()
            .put("username", name).put("password", "adviser-password-1").put("role", "adviser")
            .put("departments", new JsonArray().add(department))));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    return service.login(name, "adviser-password-1");
  }

  /** Every attachment of the ticket's transcript, oldest first. */
  private List<JsonObject> attachments(String token) throws Exception {
    JsonObject ticket = get("/api/v1/tickets/1", token).bodyAsJsonObject();
    return ticket.getJsonArray("transcript").stream().map(l -> (JsonObject) l)
        .flatMap(l -> l.getJsonArray("attachments").stream().map(a -> (JsonObject) a)).toList();
  }

  private boolean attachmentReaches(String token, int index, String state) throws Exception {
    return TestService.eventually(vertx, () -> {
      List<JsonObject> all = attachments(token);
      return all.size() > index && state.equals(all.get(index).getString("state"));
    });
  }

  private List<String> filesOnDisk() throws Exception {
    Path files = dir.resolve("data").resolve("files");
    if (!Files.isDirectory(files)) {
      return List.of();
    }
    try (Stream<Path> listed = Files.list(files)) {
      return listed.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private void openTicket() throws Exception {
    ownerSays("我要找人工");
    assertTrue(TestService.eventually(vertx, () -> ownerReceived().size() == 1));
    assertTrue(ownerReceived().get(0).contains("工单号 1"), ownerReceived().get(0));
  }

  static Buffer jpeg(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xD8;
    bytes[2] = (byte) 0xFF;
    bytes[3] = (byte) 0xE0;
    return Buffer.buffer(bytes);
  }

  @Test
  @DisplayName("a picture on an open ticket is stored and downloaded by the ticket's adviser with the same bytes, as"
      + " an attachment that is never rendered; another department gets 403; the bot only acknowledges it")
  void pictureIsStoredAndDownloaded() throws Exception {
    openTicket();
    Buffer picture = jpeg(20_000);
    wecom.media.put("media-photo-1", new FakeWeCom.Media(picture, "image/jpeg", false));
    ownerSendsMedia("image", "media-photo-1");
    String adviser = adviser("zhang.san", "综合执法");
    String elsewhere = adviser("li.si", "生态环境");

    assertTrue(attachmentReaches(adviser, 0, "stored"), () -> "attachments: " + call(() -> attachments(adviser)));
    JsonObject attachment = attachments(adviser).get(0);
    assertEquals("image/jpeg", attachment.getString("type"));
    assertEquals(20_000L, attachment.getLong("size"));
    assertEquals("image", attachment.getString("kind"));
    String url = attachment.getString("url");
    assertEquals("/api/v1/tickets/1/files/" + attachment.getLong("id"), url);

    HttpResponse<Buffer> download = get(url, adviser);
    assertEquals(200, download.statusCode());
    assertArrayEquals(picture.getBytes(), download.body().getBytes(), "the bytes the owner sent");
    assertEquals("application/octet-stream", download.getHeader("Content-Type"));
    assertEquals("nosniff", download.getHeader("X-Content-Type-Options"));
    assertEquals("sandbox", download.getHeader("Content-Security-Policy"));
    String disposition = download.getHeader("Content-Disposition");
    assertTrue(disposition.startsWith("attachment; filename=\"file-" + attachment.getLong("id") + ".jpg\""),
        disposition);
    assertTrue(disposition.contains("filename*=UTF-8''"), disposition);
    assertEquals(List.of(String.valueOf(attachment.getLong("id"))), filesOnDisk(), "named by its id only");

    HttpResponse<Buffer> refused = get(url, elsewhere);
    assertEquals(403, refused.statusCode());
    assertFalse(refused.bodyAsString().contains("\u00ff\u00d8"), "no bytes for another department");
    assertEquals(404, get("/api/v1/tickets/1/files/999", adviser).statusCode());
    assertEquals(401, await(service.client.get(url).send()).statusCode());

    // a second picture: recorded too, and the bot stays quiet after its one acknowledgement
    wecom.media.put("media-photo-2", new FakeWeCom.Media(jpeg(3_000), "image/jpeg", false));
    ownerSendsMedia("image", "media-photo-2");
    assertTrue(attachmentReaches(adviser, 1, "stored"));
    List<String> received = ownerReceived();
    assertEquals(2, received.size(), "the ticket's number, then one acknowledgement: " + received);
    assertTrue(received.get(1).contains("已收到"), received.get(1));
    assertFalse(received.stream().anyMatch(t -> t.contains("只能看懂文字")), "the bot does not answer pictures");
  }

  @Test
  @DisplayName("a file over the limit (by its length or by the bytes read) is too_large, an \"image\" that is HTML and"
      + " an executable are refused, with nothing on disk; an invalid media id is expired; a failing platform is"
      + " tried again")
  void filesThatAreNotKept() throws Exception {
    openTicket();
    String adviser = adviser("zhang.san", "综合执法");

    wecom.media.put("media-big", new FakeWeCom.Media(jpeg(MAX_FILE_BYTES + 1), "image/jpeg", false));
    ownerSendsMedia("image", "media-big");
    assertTrue(attachmentReaches(adviser, 0, "too_large"));

    wecom.media.put("media-big-chunked", new FakeWeCom.Media(jpeg(3 * MAX_FILE_BYTES), "image/jpeg", true));
    ownerSendsMedia("image", "media-big-chunked");
    assertTrue(attachmentReaches(adviser, 1, "too_large"), () -> "attachments: " + call(() -> attachments(adviser)));

    wecom.media.put("media-html", new FakeWeCom.Media(Buffer.buffer("<!DOCTYPE html><html><script>alert(1)"
        + "</script></html>", StandardCharsets.UTF_8.name()), "image/jpeg", false));
    ownerSendsMedia("image", "media-html");
    assertTrue(attachmentReaches(adviser, 2, "refused"));

    wecom.media.put("media-exe", new FakeWeCom.Media(Buffer.buffer(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0}),
        "application/octet-stream", false));
    ownerSendsMedia("file", "media-exe");
    assertTrue(attachmentReaches(adviser, 3, "refused"));

    ownerSendsMedia("image", "media-expired");
    assertTrue(attachmentReaches(adviser, 4, "expired"));

    wecom.mediaErrors.add(45009);
    Buffer pdf = Buffer.buffer("%PDF-1.7\n合同正文\n%%EOF\n", StandardCharsets.UTF_8.name());
    wecom.media.put("media-pdf", new FakeWeCom.Media(pdf, "application/pdf", false));
    ownerSendsMedia("file", "media-pdf");
    assertTrue(attachmentReaches(adviser, 5, "stored"), () -> "attachments: " + call(() -> attachments(adviser)));
    assertEquals(2, wecom.mediaRequests.stream().filter("media-pdf"::equals).count(), "failed once, then served");

    List<JsonObject> all = attachments(adviser);
    for (JsonObject refused : all.subList(0, 5)) {
      assertNull(refused.getString("url"), "nothing to download: " + refused);
      assertTrue(refused.getString("error") != null && !refused.getString("error").isEmpty(), refused.encode());
      assertEquals(404, get("/api/v1/tickets/1/files/" + refused.getLong("id"), adviser).statusCode());
    }
    assertEquals(List.of(String.valueOf(all.get(5).getLong("id"))), filesOnDisk(),
        "only the stored file is on disk, no partial downloads");
    assertArrayEquals(pdf.getBytes(), get(all.get(5).getString("url"), adviser).body().getBytes());
  }

  private interface Call<T> {
    T get() throws Exception;
  }

  private static <T> String call(Call<T> call) {
    try {
      return String.valueOf(call.get());
    } catch (Exception e) {
      return e.toString();
    }
  }
}
