package cn.legalkoi.web;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Reads JSON request bodies at the edge, answering 400 for anything that is not a JSON object. */
public final class RequestBodies {
  private RequestBodies() {
  }

  /** The body as a JSON object, or empty after a 400 has been sent. */
  public static Optional<JsonObject> jsonObject(RoutingContext ctx) {
    if (ctx.body() != null && ctx.body().buffer() != null
        && StrictUtf8.decode(ctx.body().buffer()).isEmpty()) {
      Replies.badRequest(ctx, "请求体不是有效的 UTF-8 文本");
      return Optional.empty();
    }
    String text = ctx.body() == null ? null : ctx.body().asString("UTF-8");
    if (text == null || text.isBlank()) {
      Replies.badRequest(ctx, "请求体不能为空，应为 JSON 对象");
      return Optional.empty();
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject) {
        return Optional.of((JsonObject) parsed);
      }
    } catch (DecodeException e) {
      // answered below
    }
    Replies.badRequest(ctx, "请求体不是有效的 JSON 对象");
    return Optional.empty();
  }

  /** A string field, or null when it is missing or not a string. */
  public static String string(JsonObject body, String key) {
    Object value = body.getValue(key);
    return value instanceof String ? (String) value : null;
  }
}
