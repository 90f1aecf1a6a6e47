package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behind a reverse proxy each owner keeps a limit of their own; nobody else can pick their address. */
class ClientAddressTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("X-Forwarded-For names the client only when the peer is a trusted proxy, read from the right")
  void forwardedOnlyFromTrustedProxies() {
    ClientAddress addresses = new ClientAddress(List.of("127.0.0.1", "10.0.0.0/8", "::1"));
    assertEquals("203.0.113.7", addresses.resolve("127.0.0.1", "203.0.113.7"));
    // a client that writes the header itself only adds a hop to the left of the one the proxy appended
    assertEquals("203.0.113.7", addresses.resolve("127.0.0.1", "1.2.3.4, 203.0.113.7"));
    // proxies in a chain are skipped
    assertEquals("203.0.113.7", addresses.resolve("10.1.2.3", "203.0.113.7, 10.9.9.9"));
    assertEquals("2001:db8::5", addresses.resolve("0:0:0:0:0:0:0:1", "2001:db8::5"));
    // an untrusted peer is the client whatever it claims
    assertEquals("198.51.100.9", addresses.resolve("198.51.100.9", "127.0.0.1"));
    // garbage in the header stops the walk at the last real address
    assertEquals("127.0.0.1", addresses.resolve("127.0.0.1", "evil.example, <script>"));
    assertEquals("203.0.113.7", addresses.resolve("127.0.0.1", "not-an-ip, 203.0.113.7"));
    // not an address: never looked up as a name
    assertEquals("127.0.0.1", addresses.resolve("127.0.0.1", "999.1.1.1"));
    // with no proxies configured the header is never read
    assertEquals("127.0.0.1", new ClientAddress(List.of()).resolve("127.0.0.1", "203.0.113.7"));
    assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("proxy.example")));
    assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
  }

  @Test
  @DisplayName("behind a trusted proxy two owners each get the web chat's whole limit; without the setting they"
      + " would share the proxy's")
  void limitPerOwnerBehindProxy() throws Exception {
    Vertx vertx = TestVertx.create();
    JsonObject config = TestService.config(Fixtures.copyKnowledgeBase(dir), dir.resolve("data"))
        .put("chat", new JsonObject().put("webRequestsPerMinute", 3));
    config.getJsonObject("http").put("trustedProxies", new JsonArray().add("127.0.0.1"));
    TestService service = TestService.start(vertx, dir.resolve("kb"), dir.resolve("data"), config);
    try {
      assertEquals(List.of(202, 202, 202, 429), post(service, "203.0.113.1", 4));
      assertEquals(List.of(202, 202, 202, 429), post(service, "203.0.113.2", 4));
      assertEquals(6, service.count("SELECT count(*) FROM inbound"));
      // a proxy that adds its own header line after a forged one the client sent: the proxy's line is the one read
      HttpResponse<Buffer> forged = await(WebClientSession.create(service.client).post("/api/v1/chat/messages")
          .putHeader("X-Forwarded-For", java.util.List.of("198.51.100.77", "203.0.113.1"))
          .sendJsonObject(new JsonObject().put("id", "proxy-forged-1").put("text", "罚款能分期吗")));
      assertEquals(429, forged.statusCode(), "the client's own limit applies, whatever it wrote first");
    } finally {
      service.close();
      await(vertx.close());
    }
  }

  private static List<Integer> post(TestService service, String client, int times) throws Exception {
    List<Integer> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < times; i++) {
      HttpResponse<Buffer> r = await(WebClientSession.create(service.client).post("/api/v1/chat/messages")
          .putHeader("X-Forwarded-For", client)
          .sendJsonObject(new JsonObject().put("id", "proxy-" + client.replace('.', '-') + "-" + i)
              .put("text", "罚款能分期吗")));
      statuses.add(r.statusCode());
    }
    return statuses;
  }
}
