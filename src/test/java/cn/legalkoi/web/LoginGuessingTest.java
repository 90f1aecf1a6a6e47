package cn.legalkoi.web;

import static cn.legalkoi.testing.TestService.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.legalkoi.testing.Fixtures;
import cn.legalkoi.testing.TestService;
import cn.legalkoi.testing.TestVertx;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in brute force over many user names from one address is refused, as guessing one name is. */
class LoginGuessingTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestService service;

  @BeforeEach
  void start() throws Exception {
    vertx = TestVertx.create();
    service = TestService.start(vertx, Fixtures.copyKnowledgeBase(dir), dir.resolve("data"));
  }

  @AfterEach
  void stop() throws Exception {
    service.close();
    await(vertx.close());
  }

  private HttpResponse<Buffer> login(String username, String password) throws Exception {
    return await(service.client.post("/api/v1/auth/login")
        .sendJsonObject(new JsonObject().put("username", username).put("password", password)));
  }

  @Test
  @DisplayName("20 wrong passwords over 20 user names from one address: the next sign-in from there gets 429 and no"
      + " token, even with the right password")
  void manyUserNamesFromOneAddress() throws Exception {
    for (int i = 0; i < LoginThrottle.MAX_ADDRESS_FAILURES; i++) {
      assertEquals(401, login("someone." + i, "guess-pass-" + i).statusCode(), "guess " + i);
    }
    HttpResponse<Buffer> blocked = login("admin", TestService.ADMIN_PASSWORD);
    assertEquals(429, blocked.statusCode(), blocked.bodyAsString("UTF-8"));
    assertFalse(blocked.bodyAsJsonObject().containsKey("token"));
    assertTrue(Long.parseLong(blocked.getHeader("Retry-After")) > 0);
  }
}
