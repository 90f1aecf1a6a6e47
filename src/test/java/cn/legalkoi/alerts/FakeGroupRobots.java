package cn.legalkoi.alerts;

import static cn.legalkoi.testing.TestService.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A DingTalk custom robot ({@code POST /robot/send?access_token=…}, checking {@code timestamp} and {@code sign} when
 * it has a 加签 secret) and a WeCom group robot ({@code POST /cgi-bin/webhook/send?key=…}) on loopback. Like the real
 * ones they answer every refusal inside an HTTP 200 with a non-zero errcode: a wrong token or key, a bad sign, or the
 * errcodes queued in {@link #errors}. It records every post and can go down (stop listening) and come back on the
 * same port, or stay silent.
 */
final class FakeGroupRobots {
  static final String ACCESS_TOKEN = "dingrobottoken0123456789abcdef";
  static final String DING_SECRET = "SECd1ngr0b0t/secret+never-logged";
  static final String WECOM_KEY = "633a31f6-7f9c-4bc4-97a0-0ec1eefa5898";

  /** One post as the robot received it. */
  record Post(String platform, String timestamp, String sign, JsonObject body, boolean accepted) {
  }

  final List<Post> posts = new CopyOnWriteArrayList<>();
  /** Errcodes the next posts are answered with, one each, before posts are accepted again. */
  final Queue<Integer> errors = new ConcurrentLinkedQueue<>();
  /** When set, posts are never answered. */
  volatile boolean silent;
  private final Vertx vertx;
  private final Router router;
  private HttpServer server;
  private int port;

  private FakeGroupRobots(Vertx vertx) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    router.post("/robot/send").handler(this::dingTalk);
    router.post("/cgi-bin/webhook/send").handler(this::weCom);
  }

  static FakeGroupRobots start(Vertx vertx) throws Exception {
    FakeGroupRobots fake = new FakeGroupRobots(vertx);
    fake.up();
    return fake;
  }

  /** Listens again, on the port it had before if it had one. */
  void up() throws Exception {
    server = await(vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1"));
    port = server.actualPort();
  }

  /** Stops listening: posts are refused at the connection, as when the platform is unreachable. */
  void down() throws Exception {
    await(server.close());
  }

  String dingTalkUrl() {
    return "http://127.0.0.1:" + port + "/robot/send?access_token=" + ACCESS_TOKEN;
  }

  String weComUrl() {
    return "http://127.0.0.1:" + port + "/cgi-bin/webhook/send?key=" + WECOM_KEY;
  }

  List<Post> accepted() {
    return posts.stream().filter(Post::accepted).toList();
  }

  /** The DingTalk 加签 sign, computed here independently of the service's code. */
  static String expectedSign(String timestamp, String secret) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] signed = mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(signed);
  }

  private void dingTalk(RoutingContext ctx) {
    if (silent) {
      return;
    }
    String timestamp = ctx.request().getParam("timestamp");
    String sign = ctx.request().getParam("sign");
    JsonObject body = ctx.body().asJsonObject();
    boolean signed;
    try {
      signed = timestamp != null && expectedSign(timestamp, DING_SECRET).equals(sign);
    } catch (Exception e) {
      signed = false;
    }
    if (!ACCESS_TOKEN.equals(ctx.request().getParam("access_token"))) {
      refuse(ctx, "dingtalk", timestamp, sign, body, 300001, "token is not exist");
    } else if (!signed) {
      refuse(ctx, "dingtalk", timestamp, sign, body, 310000, "sign not match");
    } else {
      answer(ctx, "dingtalk", timestamp, sign, body);
    }
  }

  private void weCom(RoutingContext ctx) {
    if (silent) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    if (!WECOM_KEY.equals(ctx.request().getParam("key"))) {
      refuse(ctx, "wecom", null, null, body, 93000, "invalid webhook url");
    } else {
      answer(ctx, "wecom", null, null, body);
    }
  }

  private void answer(RoutingContext ctx, String platform, String timestamp, String sign, JsonObject body) {
    Integer error = errors.poll();
    if (error != null) {
      refuse(ctx, platform, timestamp, sign, body, error, "refused as the test asked");
      return;
    }
    posts.add(new Post(platform, timestamp, sign, body, true));
    ctx.json(new JsonObject().put("errcode", 0).put("errmsg", "ok"));
  }

  private void refuse(RoutingContext ctx, String platform, String timestamp, String sign, JsonObject body,
      int errcode, String errmsg) {
    posts.add(new Post(platform, timestamp, sign, body, false));
    ctx.json(new JsonObject().put("errcode", errcode).put("errmsg", errmsg));
  }
}
