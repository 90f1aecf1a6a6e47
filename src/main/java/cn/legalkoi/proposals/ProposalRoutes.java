package cn.legalkoi.proposals;

import cn.legalkoi.search.IndexService;
import cn.legalkoi.store.Store;
import cn.legalkoi.users.Role;
import cn.legalkoi.web.Replies;
import cn.legalkoi.web.RequestBodies;
import cn.legalkoi.web.RouteModule;
import cn.legalkoi.web.WebKit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The knowledge loop's admin side: {@code GET /api/v1/admin/proposals[?state=]}, {@code POST
 * /api/v1/admin/proposals/{id}/publish} and {@code POST /api/v1/admin/proposals/{id}/reject}. Advisers propose
 * through {@code POST /api/v1/tickets/{id}/resolve}.
 */
public final class ProposalRoutes implements RouteModule {
  private static final int PUBLISH_BODY = 128 * 1024;
  private static final int REJECT_BODY = 8 * 1024;
  private static final int MAX_REASON_CHARS = 500;
  private static final Set<String> STATES = Set.of(Proposal.PROPOSED, Proposal.PUBLISHED, Proposal.REJECTED);

  private final ProposalDesk desk;

  ProposalRoutes(ProposalDesk desk) {
    this.desk = desk;
  }

  /** Publishes into {@code guidance/proposals/} of the first knowledge directory; times in {@code zone}. */
  public static ProposalRoutes create(Store store, IndexService index, List<Path> knowledgeDirs, Clock clock,
      ZoneId zone) {
    return new ProposalRoutes(new ProposalDesk(store, index, new GuidanceWriter(knowledgeDirs), clock, zone));
  }

  @Override
  public void mount(Router router, WebKit web) {
    var admin = web.requireRole(Role.ADMIN);
    router.get("/api/v1/admin/proposals").handler(admin).handler(this::list);
    router.post("/api/v1/admin/proposals/:id/publish").handler(web.bodyLimit(PUBLISH_BODY)).handler(admin)
        .handler(this::publish);
    router.post("/api/v1/admin/proposals/:id/reject").handler(web.bodyLimit(REJECT_BODY)).handler(admin)
        .handler(this::reject);
  }

  void list(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    if (state != null && !STATES.contains(state)) {
      Replies.badRequest(ctx, "state 只能是 proposed、published 或 rejected");
      return;
    }
    reply(ctx, desk.list(state), proposals -> {
      JsonArray out = new JsonArray();
      proposals.forEach(p -> out.add(p.toJson(desk.zone())));
      return new JsonObject().put("proposals", out);
    }, 200);
  }

  void publish(RoutingContext ctx) {
    Optional<Long> id = proposalId(ctx);
    Optional<JsonObject> body = id.isEmpty() ? Optional.empty() : RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    PublishRequest request;
    try {
      request = PublishRequest.from(body.get());
    } catch (ProposalRefused refused) {
      fail(ctx, refused);
      return;
    }
    reply(ctx, desk.publish(WebKit.user(ctx).username(), id.get(), request), published -> new JsonObject()
        .put("docId", published.docId()).put("path", published.path()).put("jobId", published.jobId()), 201);
  }

  void reject(RoutingContext ctx) {
    Optional<Long> id = proposalId(ctx);
    Optional<JsonObject> body = id.isEmpty() ? Optional.empty() : RequestBodies.jsonObject(ctx);
    if (body.isEmpty()) {
      return;
    }
    String reason = Optional.ofNullable(RequestBodies.string(body.get(), "reason")).map(String::strip).orElse("");
    if (reason.isEmpty() || reason.codePointCount(0, reason.length()) > MAX_REASON_CHARS) {
      Replies.badRequest(ctx, "请填写驳回理由 reason（" + MAX_REASON_CHARS + " 字以内），顾问会在工单记录中看到");
      return;
    }
    reply(ctx, desk.reject(WebKit.user(ctx).username(), id.get(), reason), p -> p.toJson(desk.zone()), 200);
  }

  private static <T> void reply(RoutingContext ctx, Future<T> result, Function<T, JsonObject> body, int status) {
    result.onComplete(r -> {
      if (r.succeeded()) {
        Replies.json(ctx, status, body.apply(r.result()));
      } else {
        fail(ctx, r.cause());
      }
    });
  }

  private static Optional<Long> proposalId(RoutingContext ctx) {
    try {
      long id = Long.parseLong(ctx.pathParam("id"));
      if (id > 0) {
        return Optional.of(id);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    Replies.error(ctx, 404, "not_found", "没有这条指引建议");
    return Optional.empty();
  }

  private static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof ProposalRefused refused) {
      Replies.error(ctx, refused.status(), refused.error(), refused.getMessage());
    } else {
      ctx.fail(cause);
    }
  }
}
