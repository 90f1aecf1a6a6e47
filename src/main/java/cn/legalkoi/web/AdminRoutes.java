package cn.legalkoi.web;

import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.users.PasswordHasher;
import cn.legalkoi.users.Role;
import cn.legalkoi.users.UserService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sign-in, user administration and reindexing. */
public final class AdminRoutes implements RouteModule {
  private static final int SMALL_BODY = 4 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,40}");

  private final UserService users;
  private final IndexService index;
  private final LoginThrottle throttle;

  public AdminRoutes(UserService users, IndexService index, java.time.Clock clock) {
    this.users = users;
    this.index = index;
    this.throttle = new LoginThrottle(clock);
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.post("/api/v1/auth/login").handler(web.bodyLimit(SMALL_BODY)).handler(this::login);
    router.post("/api/v1/admin/reindex").handler(web.requireRole(Role.ADMIN)).handler(this::startReindex);
    router.get("/api/v1/admin/reindex/:jobId").handler(web.requireRole(Role.ADMIN)).handler(this::reindexStatus);
    router.post("/api/v1/admin/users").handler(web.bodyLimit(SMALL_BODY)).handler(web.requireRole(Role.ADMIN))
        .handler(this::createUser);
  }

  void login(RoutingContext ctx) {
    Optional<JsonObject> body = RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String username = RequestBodies.string(body.get(), "username");
    String password = RequestBodies.string(body.get(), "password");
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      Replies.badRequest(ctx, "请填写用户名和密码");
      return;
    }
    String name = username.strip();
    String address = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
    long wait = throttle.retryAfterSeconds(name, address);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Replies.error(ctx, 429, "too_many_attempts", "密码错误次数过多，请 " + (wait + 59) / 60 + " 分钟后再试");
      return;
    }
    users.login(name, password).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isEmpty()) {
        throttle.failed(name, address);
        LOG.info("Failed sign-in for a user name of {} characters", name.length());
        Replies.error(ctx, 401, "unauthorized", "用户名或密码错误");
      } else {
        throttle.succeeded(name, address);
        Replies.json(ctx, 200, new JsonObject().put("token", result.result().get()));
      }
    });
  }

  void createUser(RoutingContext ctx) {
    Optional<JsonObject> body = RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String username = RequestBodies.string(body.get(), "username");
    String password = RequestBodies.string(body.get(), "password");
    Optional<Role> role = Optional.ofNullable(RequestBodies.string(body.get(), "role")).flatMap(Role::parse);
    if (username == null || !USERNAME.matcher(username).matches()) {
      Replies.badRequest(ctx, "用户名应为 2-40 位字母、数字或 . _ -");
      return;
    }
    String passwordProblem = PasswordHasher.problemWith(password);
    if (passwordProblem != null) {
      Replies.badRequest(ctx, passwordProblem);
      return;
    }
    if (role.isEmpty()) {
      Replies.badRequest(ctx, "role 只能是 adviser 或 admin");
      return;
    }
    users.create(username, password, role.get()).onComplete(result -> {
      if (result.succeeded()) {
        LOG.info("User {} created with role {} by {}", username, role.get().wireName(),
            AuthHandler.user(ctx).username());
        Replies.json(ctx, 201, new JsonObject().put("id", result.result().id())
            .put("username", result.result().username()).put("role", result.result().role().wireName()));
      } else if (result.cause() instanceof UserService.DuplicateUserException) {
        Replies.error(ctx, 409, "conflict", "用户名已存在");
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  void startReindex(RoutingContext ctx) {
    boolean force = "true".equalsIgnoreCase(ctx.request().getParam("force"));
    ReindexJob job = index.startReindex(force);
    LOG.info("Reindex {} requested by {}{}", job.id(), AuthHandler.user(ctx).username(), force ? " (forced)" : "");
    ctx.response().putHeader("Location", "/api/v1/admin/reindex/" + job.id());
    Replies.json(ctx, 202, new JsonObject().put("jobId", job.id()).put("state", job.toJson().getString("state")));
  }

  void reindexStatus(RoutingContext ctx) {
    Optional<ReindexJob> job = index.job(ctx.pathParam("jobId"));
    if (job.isEmpty()) {
      Replies.error(ctx, 404, "not_found", "没有这个重建任务");
      return;
    }
    Replies.json(ctx, 200, job.get().toJson());
  }
}
