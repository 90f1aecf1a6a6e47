package cn.legalkoi.chat.wecom;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Browser;
import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A picture an owner sent through the WeCom app (a fake WeCom on loopback), as the advisers' console offers it: a
 * download of the stored bytes, never an image on the page.
 */
class ConsoleAttachmentBrowserTest {
  static final String OWNER = "wangwu";
  static final String PASSWORD = "adviser-pass-2026";
  static final int PICTURE_BYTES = 20_000;

  @TempDir
  Path dir;
  Vertx vertx;
  FakeWeCom wecom;
  TestService service;
  Browser browser;
  final WeComCrypto asWeCom = new WeComCrypto(WeComChannelTest.TOKEN, WeComChannelTest.AES_KEY,
      WeComChannelTest.CORP_ID);
  final Random random = new Random(5);
  int messages;
  volatile String adminToken;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    Fixtures.copyKnowledgeBase(dir);
    wecom = FakeWeCom.start(vertx, WeComChannelTest.CORP_ID, WeComChannelTest.SECRET);
    JsonObject config = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("wecom", new JsonObject().put("token", WeComChannelTest.TOKEN)
            .put("encodingAesKey", WeComChannelTest.AES_KEY).put("corpId", WeComChannelTest.CORP_ID)
            .put("agentId", WeComChannelTest.AGENT_ID).put("secret", WeComChannelTest.SECRET)
            .put("apiBase", wecom.apiBase())));
    service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
    browser = Browser.laptop();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      service.close();
      wecom.close();
      await(vertx.close());
    }
  }

  /** The owner's message reaches the webhook, signed and encrypted as WeCom does it. */
  private void ownerSends(String inner) throws Exception {
    messages++;
    String message = "<xml><ToUserName><![CDATA[" + WeComChannelTest.CORP_ID + "]]></ToUserName><FromUserName>"
        + "<![CDATA[" + OWNER + "]]></FromUserName><CreateTime>1700000000</CreateTime>" + inner + "<MsgId>"
        + (7500000000000000000L + messages) + "</MsgId><AgentID>" + WeComChannelTest.AGENT_ID + "</AgentID></xml>";
    String encrypt = asWeCom.encrypt(message, WeComCrypto.randomPrefix(random));
    String nonce = "console" + messages;
    HttpResponse<Buffer> r = await(service.client.post("/webhooks/wecom").putHeader("Content-Type", "text/xml")
        .addQueryParam("msg_signature", WeComCrypto.signature(WeComChannelTest.TOKEN, "1700000000", nonce, encrypt))
        .addQueryParam("timestamp", "1700000000").addQueryParam("nonce", nonce)
        .sendBuffer(Buffer.buffer("<xml><ToUserName><![CDATA[" + WeComChannelTest.CORP_ID + "]]></ToUserName>"
            + "<Encrypt><![CDATA[" + encrypt + "]]></Encrypt><AgentID><![CDATA[" + WeComChannelTest.AGENT_ID
            + "]]></AgentID></xml>")));
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }

  /**
   * A GET as the admin, signed in once: checked every 20 ms on workers, a sign-in (a slow password hash) per check
   * fills the worker pool, and the webhook's own work waits behind it.
   */
  private JsonObject admin(String path) throws Exception {
    if (adminToken == null) {
      adminToken = service.adminToken();
    }
    HttpResponse<Buffer> r = await(service.client.get(path).putHeader("Authorization", "Bearer " + adminToken)
        .send());
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  @DisplayName("an owner's picture is offered in the console as a download of its bytes and never drawn as an image")
  void pictureIsADownload() throws Exception {
    ownerSends("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我要找人工]]></Content>");
    assertTrue(TestService.eventually(vertx, () -> admin("/api/v1/tickets").getJsonArray("tickets").size() == 1));
    wecom.media.put("media-console-1", new FakeWeCom.Media(WeComMediaTicketTest.jpeg(PICTURE_BYTES), "image/jpeg",
        false));
    ownerSends("<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://wework.qpic.cn/x]]></PicUrl>"
        + "<MediaId><![CDATA[media-console-1]]></MediaId>");
    JsonObject ticket = admin("/api/v1/tickets").getJsonArray("tickets").getJsonObject(0);
    long id = ticket.getLong("id");
    assertTrue(TestService.eventually(vertx, () -> admin("/api/v1/tickets/" + id).getJsonArray("transcript").stream()
        .map(JsonObject.class::cast).flatMap(l -> l.getJsonArray("attachments").stream())
        .anyMatch(a -> "stored".equals(((JsonObject) a).getString("state")))), "the picture is stored");
    String name = admin("/api/v1/tickets/" + id).getJsonArray("transcript").stream().map(JsonObject.class::cast)
        .flatMap(l -> l.getJsonArray("attachments").stream()).map(JsonObject.class::cast).findFirst().orElseThrow()
        .getString("name");
    HttpResponse<Buffer> created = await(service.client.post("/api/v1/admin/users")
        .putHeader("Authorization", "Bearer " + service.adminToken()).sendJsonObject(new JsonObject()
            .put("username", "adviser.wu").put("password", PASSWORD).put("role", "adviser")
            .put("departments", new JsonArray().add(ticket.getString("department")))));
    assertEquals(201, created.statusCode(), created.bodyAsString());

    browser.open("http://127.0.0.1:" + service.app.port() + "/console#/ticket/" + id);
    browser.waitForVisible(By.id("username")).sendKeys("adviser.wu");
    browser.waitForVisible(By.id("password")).sendKeys(PASSWORD);
    browser.waitForVisible(By.id("sign-in-button")).click();
    browser.waitForVisible(By.cssSelector("#queue-list .ticket-item[data-id='" + id + "'] a")).click();
    WebElement download = browser.waitForVisible(By.cssSelector("#transcript .attachments button.download"));
    assertEquals("下载 " + name, download.getText());

    // what the page hands the browser to save: recorded, then saved as usual
    browser.script("""
        window.saved = [];
        const makeUrl = URL.createObjectURL;
        URL.createObjectURL = blob => {
          window.saved.push({type: blob.type, size: blob.size});
          return makeUrl(blob);
        };
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () {
          window.saved.push({name: this.download, blob: this.href.startsWith('blob:')});
          return click.call(this);
        };
        """);
    download.click();
    browser.waitUntil(d -> ((Number) browser.script("return window.saved.length")).intValue() >= 2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> saved = (List<Map<String, Object>>) browser.script("return window.saved");
    assertEquals("application/octet-stream", saved.get(0).get("type"), "saved as bytes, not opened as a picture");
    assertEquals((long) PICTURE_BYTES, ((Number) saved.get(0).get("size")).longValue());
    assertEquals(Boolean.TRUE, saved.get(1).get("blob"));
    assertEquals(name, saved.get(1).get("name"), "saved under the file's name");
    assertEquals(0L, browser.script("return document.querySelectorAll('#main img, #main object, #main embed,"
        + " #main iframe').length"), "nothing of the file is drawn on the page");
  }
}
