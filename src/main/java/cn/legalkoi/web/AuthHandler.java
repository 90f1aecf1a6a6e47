package cn.legalkoi.web;

import cn.legalkoi.users.Role;
import cn.legalkoi.users.User;
import cn.legalkoi.users.UserService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Checks the bearer token and the role before any protected route runs: 401 without a valid token, 403 without the role. */
final class AuthHandler {
  static final String USER = "user";
  private final UserService users;

  AuthHandler(UserService users) {
    this.users = users;
  }

  Handler<RoutingContext> require(Role role) {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
        Replies.error(ctx, 401, "unauthorized", "请先登录（Authorization: Bearer <token>）");
        return;
      }
      users.authenticate(header.substring(7).strip()).onComplete(result -> {
        if (result.failed()) {
          ctx.fail(result.cause());
        } else if (result.result().isEmpty()) {
          Replies.error(ctx, 401, "unauthorized", "登录已失效，请重新登录");
        } else if (!result.result().get().role().includes(role)) {
          Replies.error(ctx, 403, "forbidden", "当前账号没有权限执行此操作");
        } else {
          ctx.put(USER, result.result().get());
          ctx.next();
        }
      });
    };
  }

  static User user(RoutingContext ctx) {
    return ctx.get(USER);
  }
}
