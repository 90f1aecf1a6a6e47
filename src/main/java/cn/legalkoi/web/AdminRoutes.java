package cn.legalkoi.web;

import cn.legalkoi.search.IndexService;
import cn.legalkoi.search.ReindexJob;
import cn.legalkoi.users.AuditLog;
import cn.legalkoi.users.Departments;
import cn.legalkoi.users.PasswordHasher;
import cn.legalkoi.users.Role;
import cn.legalkoi.users.UserService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sign-in, user administration and reindexing. */
public final class AdminRoutes implements RouteModule {
  private static final int SMALL_BODY = 4 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{2,40}");

  private static final int MAX_DEPARTMENT_CHARS = 30;

  private final UserService users;
  private final Departments departments;
  private final AuditLog audit;
  private final IndexService index;
  private final LoginThrottle throttle;

  public AdminRoutes(UserService users, Departments departments, AuditLog audit, IndexService index,
      java.time.Clock clock) {
    this.users = users;
    this.departments = departments;
    this.audit = audit;
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
    router.get("/api/v1/admin/users").handler(web.requireRole(Role.ADMIN)).handler(this::listUsers);
    router.post("/api/v1/admin/users/:username/disable").handler(web.requireRole(Role.ADMIN))
        .handler(this::disableUser);
    router.post("/api/v1/admin/departments").handler(web.bodyLimit(SMALL_BODY)).handler(web.requireRole(Role.ADMIN))
        .handler(this::addDepartment);
    router.post("/api/v1/admin/departments/:name/disable").handler(web.requireRole(Role.ADMIN))
        .handler(this::disableDepartment);
  }

  void listUsers(RoutingContext ctx) {
    users.list().onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      JsonArray out = new JsonArray();
      r.result().forEach(a -> out.add(new JsonObject().put("username", a.user().username())
          .put("role", a.user().role().wireName()).put("departments", new JsonArray(a.user().departments()))
          .put("active", a.active())));
      Replies.json(ctx, 200, new JsonObject().put("users", out));
    });
  }

  void disableUser(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    String actor = AuthHandler.user(ctx).username();
    if (actor.equals(username)) {
      Replies.error(ctx, 409, "conflict", "不能停用自己的账号");
      return;
    }
    users.disable(username).compose(done -> done
        ? audit.record(actor, "user_disabled", "user:" + username, null).map(true)
        : io.vertx.core.Future.succeededFuture(false)).onComplete(r -> {
          if (r.failed()) {
            ctx.fail(r.cause());
          } else if (!r.result()) {
            Replies.error(ctx, 404, "not_found", "没有这个用户");
          } else {
            Replies.json(ctx, 200, new JsonObject().put("username", username).put("active", false));
          }
        });
  }

  void addDepartment(RoutingContext ctx) {
    Optional<JsonObject> body = RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String name = Optional.ofNullable(RequestBodies.string(body.get(), "name")).map(String::strip).orElse("");
    if (name.isEmpty() || name.length() > MAX_DEPARTMENT_CHARS || name.contains("/")) {
      Replies.badRequest(ctx, "部门名称应为 1-" + MAX_DEPARTMENT_CHARS + " 个字，且不含 /");
      return;
    }
    String actor = AuthHandler.user(ctx).username();
    departments.add(name).compose(added -> added
        ? audit.record(actor, "department_added", "department:" + name, null).map(true)
        : io.vertx.core.Future.succeededFuture(false)).onComplete(r -> {
          if (r.failed()) {
            ctx.fail(r.cause());
          } else if (!r.result()) {
            Replies.error(ctx, 409, "conflict", "部门已存在");
          } else {
            Replies.json(ctx, 201, new JsonObject().put("name", name).put("active", true));
          }
        });
  }

  void disableDepartment(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String actor = AuthHandler.user(ctx).username();
    departments.disable(name).compose(done -> done
        ? audit.record(actor, "department_disabled", "department:" + name, null).map(true)
        : io.vertx.core.Future.succeededFuture(false)).onComplete(r -> {
          if (r.failed()) {
            ctx.fail(r.cause());
          } else if (!r.result()) {
            Replies.error(ctx, 404, "not_found", "没有这个启用中的部门");
          } else {
            Replies.json(ctx, 200, new JsonObject().put("name", name).put("active", false));
          }
        });
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
    String address = ClientAddress.of(ctx);
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
    Object listed = body.get().getValue("departments");
    if (listed != null && !(listed instanceof JsonArray)) {
      Replies.badRequest(ctx, "departments 应为部门名称的数组");
      return;
    }
    List<String> memberOf = listed == null ? List.of()
        : ((JsonArray) listed).stream().map(String::valueOf).distinct().toList();
    if (role.get() == Role.ADVISER && memberOf.isEmpty()) {
      Replies.badRequest(ctx, "顾问至少属于一个部门（departments）");
      return;
    }
    String actor = AuthHandler.user(ctx).username();
    users.create(username, password, role.get(), memberOf)
        .compose(user -> audit.record(actor, "user_created", "user:" + username,
            new JsonObject().put("role", role.get().wireName()).put("departments", new JsonArray(memberOf)).encode())
            .map(user))
        .onComplete(result -> {
      if (result.succeeded()) {
        LOG.info("User {} created with role {} by {}", username, role.get().wireName(), actor);
        Replies.json(ctx, 201, new JsonObject().put("id", result.result().id())
            .put("username", result.result().username()).put("role", result.result().role().wireName())
            .put("departments", new JsonArray(result.result().departments())));
      } else if (result.cause() instanceof UserService.DuplicateUserException) {
        Replies.error(ctx, 409, "conflict", "用户名已存在");
      } else if (result.cause() instanceof UserService.UnknownDepartmentException) {
        Replies.badRequest(ctx, "没有这个启用中的部门：" + result.cause().getMessage());
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
