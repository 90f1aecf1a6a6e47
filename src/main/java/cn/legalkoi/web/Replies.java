package cn.legalkoi.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON replies; errors as the contract writes them: {@code {"error": code, "message": text}} with a fitting status. */
public final class Replies {
  private Replies() {
  }

  public static void error(RoutingContext ctx, int status, String error, String message) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", error).put("message", message).encode());
  }

  public static void badRequest(RoutingContext ctx, String message) {
    error(ctx, 400, "bad_request", message);
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }
}
