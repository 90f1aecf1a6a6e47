package cn.legalkoi.datacare;

import cn.legalkoi.config.AppConfig;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.Role;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Admin routes of data care: backups, and an owner's export and erasure. */
public final class DataCareRoutes implements RouteModule {
  private static final Set<String> CHANNELS = Set.of("web", "wecom", "wecom_kf", "dingtalk", "feishu");
  private static final int MAX_USER_ID = 200;
  private static final int KEPT_JOBS = 50;
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
      .withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final Store store;
  private final AppConfig config;
  private final Clock clock;
  private final OwnerData owners;
  private final Map<String, JsonObject> backups = new ConcurrentHashMap<>();

  public DataCareRoutes(Vertx vertx, Store store, AppConfig config, Clock clock, OwnerData owners) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.owners = owners;
  }

  @Override
  public void mount(Router router, WebKit web) {
    router.post("/api/v1/admin/backup").handler(web.requireRole(Role.ADMIN)).handler(this::startBackup);
    router.get("/api/v1/admin/backup/:jobId").handler(web.requireRole(Role.ADMIN)).handler(this::backupStatus);
    router.get("/api/v1/admin/owners/:channel/:userId/export").handler(web.requireRole(Role.ADMIN))
        .handler(this::exportOwner);
    router.post("/api/v1/admin/owners/:channel/:userId/erase").handler(web.requireRole(Role.ADMIN))
        .handler(this::eraseOwner);
  }

  void startBackup(RoutingContext ctx) {
    String id = UUID.randomUUID().toString();
    Path dir = config.dataCare().backupDir().resolve("backup-" + STAMP.format(clock.instant()));
    JsonObject job = new JsonObject().put("jobId", id).put("state", "running").put("dir", dir.toString())
        .put("startedAt", clock.instant().toString());
    if (backups.size() >= KEPT_JOBS) {
      backups.values().removeIf(j -> !"running".equals(j.getString("state")));
    }
    backups.put(id, job);
    String actor = WebKit.user(ctx).username();
    vertx.executeBlocking(() -> new Backup(config, Optional.empty(), clock).write(this::copyDatabase, dir), false)
        .onComplete(r -> {
          JsonObject done = job.copy().put("finishedAt", clock.instant().toString());
          if (r.succeeded()) {
            done.put("state", "done").put("files", r.result().json().getJsonArray("files").size());
          } else {
            done.put("state", "failed").put("error", r.cause().getMessage());
          }
          backups.put(id, done);
        });
    store.run(c -> {
      cn.legalkoi.users.AuditLog.record(c, clock.millis(), actor, "backup_started", "backup:" + id, dir.toString());
      return null;
    }).onComplete(r -> Replies.json(ctx, 202, job));
  }

  /** On a worker: waits for the store's writer to copy the database in its turn. */
  private void copyDatabase(Path target) throws Exception {
    store.copyTo(target).toCompletionStage().toCompletableFuture().get(1, TimeUnit.HOURS);
  }

  void backupStatus(RoutingContext ctx) {
    JsonObject job = backups.get(ctx.pathParam("jobId"));
    if (job == null) {
      Replies.error(ctx, 404, "not_found", "没有这个备份任务");
    } else {
      Replies.json(ctx, 200, job);
    }
  }

  void exportOwner(RoutingContext ctx) {
    Optional<String[]> owner = owner(ctx);
    if (owner.isEmpty()) {
      return;
    }
    answer(ctx, owners.export(owner.get()[0], owner.get()[1], WebKit.user(ctx).username()),
        r -> !r.getJsonArray("conversations").isEmpty());
  }

  void eraseOwner(RoutingContext ctx) {
    Optional<String[]> owner = owner(ctx);
    if (owner.isEmpty()) {
      return;
    }
    answer(ctx, owners.erase(owner.get()[0], owner.get()[1], WebKit.user(ctx).username()),
        r -> r.getInteger("conversations") > 0);
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> result,
      java.util.function.Predicate<JsonObject> found) {
    result.onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
      } else if (!found.test(r.result())) {
        Replies.error(ctx, 404, "not_found", "没有这位用户的记录");
      } else {
        Replies.json(ctx, 200, r.result());
      }
    });
  }

  /** {channel, userId} from the path, or empty after answering 400. */
  private static Optional<String[]> owner(RoutingContext ctx) {
    String channel = ctx.pathParam("channel");
    String userId = ctx.pathParam("userId");
    if (channel == null || !CHANNELS.contains(channel)) {
      Replies.badRequest(ctx, "channel 应为 " + String.join("、", new java.util.TreeSet<>(CHANNELS)) + " 之一");
      return Optional.empty();
    }
    if (userId == null || userId.isBlank() || userId.length() > MAX_USER_ID) {
      Replies.badRequest(ctx, "userId 应为 1-" + MAX_USER_ID + " 个字符");
      return Optional.empty();
    }
    return Optional.of(new String[] {channel, userId});
  }
}
