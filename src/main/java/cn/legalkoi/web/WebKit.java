package cn.legalkoi.web;

import cn.legalkoi.users.Role;
import cn.legalkoi.users.User;
import cn.legalkoi.users.UserService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What every route module shares: the sign-in and role check, body limits, and (in {@link Replies} and
 * {@link RequestBodies}) JSON errors and bodies.
 */
public final class WebKit {
  private final AuthHandler auth;

  public WebKit(UserService users) {
    this.auth = new AuthHandler(users);
  }

  /** 401 without a valid token, 403 without the role; otherwise the user is on the context. */
  public Handler<RoutingContext> requireRole(Role role) {
    return auth.require(role);
  }

  /** Reads the body into memory up to {@code bytes}; a larger body gets 413 and is never parsed. */
  public Handler<RoutingContext> bodyLimit(int bytes) {
    return BodyHandler.create(false).setBodyLimit(bytes);
  }

  /** The signed-in user of a route behind {@link #requireRole}. */
  public static User user(RoutingContext ctx) {
    return AuthHandler.user(ctx);
  }
}
