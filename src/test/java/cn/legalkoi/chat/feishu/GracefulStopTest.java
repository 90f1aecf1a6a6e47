package cn.legalkoi.chat.feishu;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.ServiceProcess;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop (SIGTERM, as systemd sends it) right after a burst of owners' messages: the service answers every message
 * it acknowledged and waits for the platform to accept each reply before it exits, so nothing is left to send.
 */
class GracefulStopTest {
  private static final int OWNERS = 12;

  @TempDir
  Path dir;
  Vertx vertx;
  ServiceProcess service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    await(vertx.close());
  }

  @Test
  @DisplayName("SIGTERM right after a burst: every acknowledged message is answered and its reply accepted by the"
      + " platform before the process exits; nothing is left in the outbox")
  void stopFinishesInFlightWork() throws Exception {
    FakeFeishu feishu = FakeFeishu.start(vertx);
    // a slow platform: the replies are still on their way when the stop comes
    feishu.delayReplies(300);
    Fixtures.copyKnowledgeBase(dir);
    Path config = dir.resolve("config.json");
    JsonObject json = TestService.config(dir.resolve("kb"), dir.resolve("data"))
        .put("channels", new JsonObject().put("feishu", new JsonObject().put("appId", FakeFeishu.APP_ID)
            .put("appSecret", FakeFeishu.APP_SECRET).put("verificationToken", FeishuTicketFlowTest.TOKEN)
            .put("encryptKey", FeishuTicketFlowTest.ENCRYPT_KEY).put("apiBase", feishu.url())));
    Files.writeString(config, json.encode(), StandardCharsets.UTF_8);
    service = ServiceProcess.start(vertx, config);
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.port()));

    List<Future<HttpResponse<Buffer>>> acks = new ArrayList<>();
    for (int i = 0; i < OWNERS; i++) {
      String owner = String.format("ou_graceful%021d", i);
      byte[] body = FeishuEvents.encrypted(FeishuEvents.text(FeishuTicketFlowTest.TOKEN, "ev-stop-" + i, "p2p",
          "oc_graceful" + i, owner, "om_stop_" + i, "员工没签劳动合同要赔钱吗"), FeishuTicketFlowTest.ENCRYPT_KEY);
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      String nonce = "n" + i + "-" + System.nanoTime();
      acks.add(client.post("/webhooks/feishu").putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("X-Lark-Request-Timestamp", timestamp).putHeader("X-Lark-Request-Nonce", nonce)
          .putHeader("X-Lark-Signature", FeishuEvents.signature(timestamp, nonce, FeishuTicketFlowTest.ENCRYPT_KEY,
              body))
          .sendBuffer(Buffer.buffer(body)));
    }
    for (Future<HttpResponse<Buffer>> ack : acks) {
      assertEquals(200, await(ack).statusCode());
    }
    client.close();
    int before = feishu.replies().size();

    service.process().destroy();
    assertTrue(service.process().waitFor(60, TimeUnit.SECONDS), "the service stopped");

    assertTrue(before < OWNERS, "the stop came while replies were still on their way (" + before + " delivered)");
    assertEquals(OWNERS, feishu.replies().size(), "every acknowledged message's reply reached the owner");
    assertEquals(OWNERS, feishu.replyAttempts.size(), "no reply was sent twice");
    assertEquals(0, count("SELECT count(*) FROM inbound WHERE state = 'pending'"));
    assertEquals(0, count("SELECT count(*) FROM outbox WHERE state <> 'sent'"), "nothing is left to send");
    assertTrue(service.output().stream().noneMatch(line -> line.contains("work left")), "stopped within its grace");
  }

  private long count(String sql) throws Exception {
    return ServiceProcess.count(dir.resolve("data"), sql);
  }
}
